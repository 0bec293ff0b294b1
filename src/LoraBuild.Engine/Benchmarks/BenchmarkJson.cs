using System.Text.Json;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>Benchmark results as JSON: how a child process hands its measurement to the parent, and a record to keep.</summary>
public static class BenchmarkJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static string Serialize(IReadOnlyList<BenchmarkResult> results) => JsonSerializer.Serialize(results, s_options);

    /// <exception cref="JsonException">The text is not a list of results.</exception>
    public static IReadOnlyList<BenchmarkResult> Deserialize(string json) =>
        JsonSerializer.Deserialize<List<BenchmarkResult>>(json, s_options) ?? throw new JsonException("The benchmark results are null.");
}
