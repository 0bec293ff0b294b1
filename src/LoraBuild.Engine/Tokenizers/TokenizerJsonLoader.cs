using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> with a BPE model, byte-level (GPT-2, Llama 3, Qwen2) or
/// SentencePiece-style (Llama 2, Mistral), with <see cref="BpeMerger"/> for its merges.
/// </summary>
internal static class TokenizerJsonLoader
{
    private const string Invalid = TokenizerErrorCodes.InvalidTokenizerDefinition;

    public static TokenizerModel Load(string file)
    {
        using var document = TokenizerFiles.ReadJson(file);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new LoraException(Invalid, $"'{Path.GetFileName(file)}' must hold a JSON object.", file);
        }

        if (!JsonFields.TryGet(root, "model", out var model) || model.ValueKind != JsonValueKind.Object)
        {
            throw new LoraException(Invalid, $"'{Path.GetFileName(file)}' has no 'model' object.", file);
        }

        RequireBpe(model, file);
        var normalizer = TextNormalizer.FromJson(Section(root, "normalizer"), file);
        var preTokenizer = PreTokenizerPipeline.FromJson(Section(root, "pre_tokenizer"), file);
        var decodingRules = TokenDecodingRules.FromJson(Section(root, "decoder"), file, preTokenizer.UsesByteLevel);
        var template = SpecialTokenTemplate.FromJson(Section(root, "post_processor"), file);
        var addedTokens = ReadAddedTokens(root, file);

        var vocabulary = BpeModelJson.ReadVocabulary(model, file);
        string? unknownToken = JsonFields.GetString(model, "unk_token", file, "model.unk_token", Invalid);
        int? unknownId = null;
        if (unknownToken is not null)
        {
            unknownId = vocabulary.TryGetValue(unknownToken, out int id)
                ? id
                : throw new LoraException(Invalid, $"model.unk_token '{unknownToken}' in '{Path.GetFileName(file)}' is not in model.vocab.", file);
        }

        bool byteFallback = Flag(model, "byte_fallback", file);
        var merger = new BpeMerger(
            vocabulary,
            BpeModelJson.ReadMerges(model, file),
            unknownId,
            Flag(model, "fuse_unk", file),
            byteFallback ? FindByteTokens(vocabulary) : null,
            JsonFields.GetString(model, "continuing_subword_prefix", file, "model.continuing_subword_prefix", Invalid),
            JsonFields.GetString(model, "end_of_word_suffix", file, "model.end_of_word_suffix", Invalid),
            file);
        var encoder = new BpeTextSegmentEncoder(merger, normalizer, preTokenizer, preTokenizer.UsesByteLevel, Flag(model, "ignore_merges", file) ? vocabulary : null);

        var kind = preTokenizer.UsesByteLevel || decodingRules.ByteLevel ? TokenizerKind.ByteLevelBpe : TokenizerKind.SentencePieceBpe;
        var defaults = new SpecialTokenDefaults(
            Bos: template?.Prefix is [int bos] ? TokenText(bos, vocabulary, addedTokens) : null,
            Eos: template?.Suffix is [int eos] ? TokenText(eos, vocabulary, addedTokens) : null,
            Unknown: unknownToken);
        return new TokenizerModel(file, kind, encoder, vocabulary, addedTokens, decodingRules, template, defaults);
    }

    /// <summary>The text of a token the template adds, so that a lone template token can serve as default bos or eos.</summary>
    private static string? TokenText(int id, Dictionary<string, int> vocabulary, List<AddedToken> addedTokens) =>
        addedTokens.Find(token => token.Id == id)?.Content
            ?? vocabulary.FirstOrDefault(entry => entry.Value == id).Key;

    private static void RequireBpe(JsonElement model, string file)
    {
        string? type = JsonFields.GetString(model, "type", file, "model.type", Invalid);
        if (type is null && JsonFields.TryGet(model, "merges", out _))
        {
            type = "BPE";
        }

        if (type != "BPE")
        {
            throw new LoraException(
                TokenizerErrorCodes.UnsupportedModelType,
                $"'{Path.GetFileName(file)}' uses a '{type ?? "unknown"}' model; only BPE tokenizers are supported (byte-level like GPT-2, Llama 3 and Qwen2, or SentencePiece-style like Llama 2 and Mistral).",
                file);
        }
    }

    /// <summary>A top-level component, or an undefined element when it is missing or null.</summary>
    private static JsonElement Section(JsonElement root, string name) =>
        JsonFields.TryGet(root, name, out var section) ? section : default;

    private static bool Flag(JsonElement model, string name, string file) =>
        JsonFields.GetBoolean(model, name, file, $"model.{name}", Invalid) ?? false;

    /// <summary>The ids of &lt;0x00&gt; … &lt;0xFF&gt;, or <see langword="null"/> unless all 256 are present.</summary>
    private static int[]? FindByteTokens(Dictionary<string, int> vocabulary)
    {
        var ids = new int[256];
        for (int b = 0; b < ids.Length; b++)
        {
            if (!vocabulary.TryGetValue($"<0x{b:X2}>", out ids[b]))
            {
                return null;
            }
        }

        return ids;
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string file)
    {
        var tokens = new List<AddedToken>();
        if (!JsonFields.TryGet(root, "added_tokens", out var array))
        {
            return tokens;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw JsonFields.WrongType(file, "added_tokens", "an array", array, Invalid);
        }

        int index = 0;
        foreach (var entry in array.EnumerateArray())
        {
            tokens.Add(AddedTokenJson.Read(entry, id: null, file, $"added_tokens[{index++}]", Invalid));
        }

        return tokens;
    }
}
