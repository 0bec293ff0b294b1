using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>The special tokens of a loaded tokenizer, as ids.</summary>
internal sealed record ResolvedSpecialTokens(
    int? Bos,
    int? Eos,
    IReadOnlySet<int> EosIds,
    int? Pad,
    int? Unknown,
    IReadOnlyList<AddedToken> NamedTokens);

/// <summary>
/// Turns special-token settings into ids: configuration files first (tokenizer_config.json, then
/// special_tokens_map.json, then config.json), then what the tokenizer file itself names.
/// </summary>
internal static class SpecialTokenResolver
{
    public static ResolvedSpecialTokens Resolve(SpecialTokenConfiguration configuration, TokenizerModel model, Func<string, int?> lookUp)
    {
        var named = new List<AddedToken>();
        int? Resolve(SpecialTokenReference? reference, string? fallbackText, string field)
        {
            reference ??= fallbackText is null ? null : new SpecialTokenReference(fallbackText, null, model.SourceFile, field);
            if (reference is null)
            {
                return null;
            }

            if (reference.Id is int id)
            {
                return id;
            }

            string text = reference.Text!;
            int resolved = lookUp(text) ?? throw new LoraException(
                TokenizerErrorCodes.UnknownSpecialToken,
                $"'{reference.Field}' in '{Path.GetFileName(reference.SourceFile)}' names '{text}', which is not in the tokenizer's vocabulary.",
                reference.SourceFile);
            named.Add(new AddedToken(resolved, text, IsSpecial: true));
            return resolved;
        }

        int? bos = Resolve(configuration.Bos, model.Defaults.Bos, "bos_token");
        int? eos = Resolve(configuration.Eos, model.Defaults.Eos, "eos_token");
        int? pad = Resolve(configuration.Pad, model.Defaults.Pad, "pad_token");
        int? unknown = Resolve(configuration.Unknown, model.Defaults.Unknown, "unk_token");

        var eosIds = new SortedSet<int>(configuration.ListedEosIds);
        if (eos is int primary)
        {
            eosIds.Add(primary);
        }

        return new ResolvedSpecialTokens(bos, eos, eosIds, pad, unknown, named);
    }
}
