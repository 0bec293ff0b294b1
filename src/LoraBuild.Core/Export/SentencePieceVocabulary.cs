using System.Text.Json;
using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Export;

/// <summary>
/// A SentencePiece-style BPE tokenizer in Hugging Face's <c>tokenizer.json</c> (Llama 2, Mistral, Gemma, Phi-3: spaces
/// normalized to <c>▁</c>, byte fallback, no byte-level pre-tokenizer) as llama.cpp's <c>llama</c> (SPM) vocabulary.
/// llama.cpp's SPM tokenizer merges, among adjacent pieces, the pair whose concatenation has the highest score; Hugging
/// Face's BPE merges the pair with the lowest merge rank. Giving each piece the negated rank of the first merge that
/// makes it orders the two the same way (Hugging Face's converter wrote these merges from SentencePiece's scores in
/// the first place). A vocabulary piece no merge makes scores below every merge, so it is chosen last.
/// </summary>
internal static partial class SentencePieceVocabulary
{
    public const int NormalToken = 1;
    public const int UnknownToken = 2;
    public const int UnusedToken = 5;
    public const int ByteToken = 6;

    /// <summary>
    /// Whether <paramref name="root"/> is such a tokenizer, and if so whether llama.cpp must prepend a space
    /// (<c>tokenizer.ggml.add_space_prefix</c>): Llama 2's normalizer prepends <c>▁</c>, Gemma's does not.
    /// </summary>
    public static bool TryDetect(JsonElement root, JsonElement model, out bool addSpacePrefix)
    {
        addSpacePrefix = false;
        if (!model.TryGetProperty("byte_fallback", out var fallback) || fallback.ValueKind != JsonValueKind.True)
        {
            return false;
        }

        var normalizers = Steps(root, "normalizer", "normalizers").ToList();
        var replacesSpaces = normalizers.Any(step => Type(step) == "Replace" && Pattern(step) == " " && Text(step, "content") == "▁");
        var prepends = normalizers.Any(step => Type(step) == "Prepend" && Text(step, "prepend") == "▁");
        var preTokenizers = Steps(root, "pre_tokenizer", "pretokenizers").ToList();
        var metaspace = preTokenizers.FirstOrDefault(step => Type(step) == "Metaspace" && Text(step, "replacement") == "▁");
        if (metaspace.ValueKind == JsonValueKind.Object)
        {
            addSpacePrefix = Text(metaspace, "prepend_scheme") is "always" or "first" || (metaspace.TryGetProperty("add_prefix_space", out var add) && add.ValueKind == JsonValueKind.True);
            return preTokenizers.Count == 1 && !(metaspace.TryGetProperty("split", out var split) && split.ValueKind == JsonValueKind.True);
        }

        // Gemma splits on " " after the normalizer has replaced every space: a step that never matches.
        var harmless = preTokenizers.All(step => Type(step) == "Split" && Pattern(step) == " ");
        addSpacePrefix = prepends;
        return replacesSpaces && harmless;
    }

    /// <summary>Each token's score: the negated rank of the first merge that makes it, else below every merge.</summary>
    public static float[] Scores(JsonElement model, IReadOnlyList<string> tokens, string path)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < tokens.Count; id++)
        {
            ids.TryAdd(tokens[id], id);
        }

        var scores = new float[tokens.Count];
        var scored = new bool[tokens.Count];
        var rank = 0;
        if (model.TryGetProperty("merges", out var merges) && merges.ValueKind == JsonValueKind.Array)
        {
            foreach (var merge in merges.EnumerateArray())
            {
                var (left, right) = Pair(merge, rank, path);
                if (ids.TryGetValue(left + right, out var id) && !scored[id])
                {
                    scores[id] = -rank;
                    scored[id] = true;
                }

                rank++;
            }
        }

        for (var id = 0; id < scores.Length; id++)
        {
            if (!scored[id])
            {
                scores[id] = -(rank + 1);
            }
        }

        return scores;
    }

    /// <summary>llama.cpp's type for a token that is neither an added token nor a pad: byte, unknown or normal.</summary>
    public static int TypeOf(string text, string? unknownToken) =>
        text == unknownToken ? UnknownToken : BytePiece().IsMatch(text) ? ByteToken : NormalToken;

    private static (string Left, string Right) Pair(JsonElement merge, int rank, string path)
    {
        if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2 && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
        {
            return (merge[0].GetString()!, merge[1].GetString()!);
        }

        if (merge.ValueKind == JsonValueKind.String && merge.GetString()!.Split(' ') is [var left, var right])
        {
            return (left, right);
        }

        throw new LoraException(ExportErrorCodes.TokenizerNotExportable, $"Merge {rank} is neither \"a b\" nor [\"a\", \"b\"].", path);
    }

    private static IEnumerable<JsonElement> Steps(JsonElement root, string name, string sequenceName)
    {
        if (!root.TryGetProperty(name, out var step) || step.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (Type(step) == "Sequence" && step.TryGetProperty(sequenceName, out var steps) && steps.ValueKind == JsonValueKind.Array)
        {
            foreach (var inner in steps.EnumerateArray())
            {
                yield return inner;
            }
        }
        else
        {
            yield return step;
        }
    }

    private static string? Type(JsonElement step) => Text(step, "type");

    private static string? Pattern(JsonElement step) =>
        step.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.Object ? Text(pattern, "String") : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex("^<0x[0-9A-F]{2}>$", RegexOptions.CultureInvariant)]
    private static partial Regex BytePiece();
}
