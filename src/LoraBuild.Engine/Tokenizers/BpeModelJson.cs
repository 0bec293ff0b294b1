using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>Reads the <c>vocab</c> and <c>merges</c> of a BPE <c>model</c> in tokenizer.json.</summary>
internal static class BpeModelJson
{
    private const string Invalid = TokenizerErrorCodes.InvalidTokenizerDefinition;

    public static Dictionary<string, int> ReadVocabulary(JsonElement model, string file)
    {
        if (!JsonFields.TryGet(model, "vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new LoraException(Invalid, $"'{Path.GetFileName(file)}' has no 'model.vocab' object.", file);
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.EnumerateObject())
        {
            int id = JsonFields.ToInt32(entry.Value, file, $"model.vocab[\"{entry.Name}\"]", Invalid);
            if (id < 0 || !vocabulary.TryAdd(entry.Name, id))
            {
                throw new LoraException(Invalid, $"model.vocab in '{Path.GetFileName(file)}' has an invalid or repeated entry '{entry.Name}': {id}.", file);
            }
        }

        return vocabulary;
    }

    /// <summary>
    /// Reads merges written as "a b" strings or as ["a", "b"] pairs (whose tokens may contain spaces). A repeated pair
    /// keeps its last rank, as in Hugging Face tokenizers.
    /// </summary>
    public static List<(string Left, string Right)> ReadMerges(JsonElement model, string file)
    {
        if (!JsonFields.TryGet(model, "merges", out var mergesElement))
        {
            return [];
        }

        if (mergesElement.ValueKind != JsonValueKind.Array)
        {
            throw JsonFields.WrongType(file, "model.merges", "an array", mergesElement, Invalid);
        }

        var merges = new List<(string, string)>(mergesElement.GetArrayLength());
        int index = 0;
        foreach (var merge in mergesElement.EnumerateArray())
        {
            merges.Add(ReadMerge(merge, index++, file));
        }

        var lastRank = new Dictionary<(string, string), int>(merges.Count);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            lastRank[merges[rank]] = rank;
        }

        return lastRank.Count == merges.Count
            ? merges
            : merges.Where((merge, rank) => lastRank[merge] == rank).ToList();
    }

    private static (string Left, string Right) ReadMerge(JsonElement merge, int index, string file)
    {
        switch (merge.ValueKind)
        {
            case JsonValueKind.String:
                string text = merge.GetString()!;
                int space = text.IndexOf(' ', StringComparison.Ordinal);
                return space > 0 && space < text.Length - 1 && text.IndexOf(' ', space + 1) < 0
                    ? (text[..space], text[(space + 1)..])
                    : throw new LoraException(Invalid, $"model.merges[{index}] in '{Path.GetFileName(file)}' must be two tokens separated by one space: \"{text}\".", file);
            case JsonValueKind.Array when merge.GetArrayLength() == 2
                && merge[0].ValueKind == JsonValueKind.String
                && merge[1].ValueKind == JsonValueKind.String
                && merge[0].GetString()!.Length > 0
                && merge[1].GetString()!.Length > 0:
                return (merge[0].GetString()!, merge[1].GetString()!);
            default:
                throw JsonFields.WrongType(file, $"model.merges[{index}]", "a \"a b\" string or a pair of non-empty strings", merge, Invalid);
        }
    }
}
