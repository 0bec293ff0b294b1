using System.Text.Json.Serialization;

namespace LoraBuild.Engine.Training;

/// <summary>The loss of a model on held-out data (<c>metrics.eval.*</c>).</summary>
/// <param name="Loss">Mean next-token cross-entropy over every target token.</param>
/// <param name="Perplexity"><c>exp(Loss)</c>.</param>
/// <param name="TargetTokens">Tokens the loss was computed on.</param>
/// <param name="Batches">Batches evaluated.</param>
public sealed record EvaluationResult(
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("perplexity")] double Perplexity,
    [property: JsonPropertyName("target_tokens")] long TargetTokens,
    [property: JsonPropertyName("batches")] int Batches)
{
    /// <summary>Loss, perplexity and target tokens by their snake_case names, as the manifest's <c>metrics.eval.*</c> holds them.</summary>
    public IReadOnlyDictionary<string, double> ToManifestValues() => new SortedDictionary<string, double>(StringComparer.Ordinal)
    {
        ["loss"] = Loss,
        ["perplexity"] = Perplexity,
        ["target_tokens"] = TargetTokens,
    };
}
