using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoraBuild.Engine.Tests.Models.Parity;

/// <summary>The <c>reference.json</c> that build/parity/make_reference.py writes beside each model.</summary>
internal sealed record ParityReference(
    [property: JsonPropertyName("variant")] string Variant,
    [property: JsonPropertyName("transformers_version")] string TransformersVersion,
    [property: JsonPropertyName("input_ids")] long[][] InputIds,
    [property: JsonPropertyName("logits")] float[][][] Logits,
    [property: JsonPropertyName("greedy_new_tokens")] int[][] GreedyNewTokens)
{
    public const string FileName = "reference.json";

    public static ParityReference Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        return JsonSerializer.Deserialize<ParityReference>(File.ReadAllText(path))
            ?? throw new InvalidDataException($"{path} holds no reference.");
    }

    public void Write(string folder) =>
        File.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this));
}
