using LoraBuild.Core.Specs;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>What the training benchmark is expected to reach, and whether a set of results reaches it.</summary>
public static class BenchmarkTargets
{
    /// <summary>The fp32 path's model FLOP utilization should be at least this.</summary>
    public const double Fp32MfuAtLeast = 0.35;

    /// <summary>The bf16 path should process at least this many times the fp32 path's tokens per second.</summary>
    public const double Bf16SpeedupAtLeast = 1.5;

    /// <summary>The result of <paramref name="precision"/>, if <paramref name="results"/> has one.</summary>
    public static BenchmarkResult? Find(IEnumerable<BenchmarkResult> results, string precision) =>
        results.FirstOrDefault(result => result.Precision == precision);

    /// <summary>bf16 tokens/s over fp32 tokens/s; null unless both paths ran.</summary>
    public static double? Bf16Speedup(IReadOnlyList<BenchmarkResult> results) =>
        Find(results, Precisions.Fp32) is { } fp32 && Find(results, Precisions.Bf16) is { } bf16
            ? bf16.TokensPerSecond / fp32.TokensPerSecond
            : null;
}
