
namespace LoraBuild.Engine.Benchmarks;

/// <summary>What the training benchmark is expected to reach, and whether a set of results reaches it.</summary>
public static class BenchmarkTargets
{
    /// <summary>The fp32 path's model FLOP utilization should be at least this.</summary>
    public const double Fp32MfuAtLeast = 0.35;

    /// <summary>The bf16 path should process at least this many times the fp32 path's tokens per second.</summary>
    public const double Bf16SpeedupAtLeast = 1.5;

    /// <summary>
    /// QLoRA's peak of live memory over the baseline should be at most this fraction of bf16 LoRA's (the field study saw
    /// 0.67 on a 7B model, measured as CUDA's <c>max_memory_allocated</c>: live tensors, not the allocator's cache).
    /// </summary>
    public const double Nf4MemoryFractionAtMost = 0.60;

    /// <summary>QLoRA's step time should be at most this multiple of bf16 LoRA's (the field study saw 1.39).</summary>
    public const double Nf4StepTimeRatioAtMost = 1.25;

    /// <summary>The result of <paramref name="path"/>, if <paramref name="results"/> has one.</summary>
    public static BenchmarkResult? Find(IEnumerable<BenchmarkResult> results, string path) =>
        results.FirstOrDefault(result => result.Path == path);

    /// <summary>bf16 tokens/s over fp32 tokens/s; null unless both paths ran.</summary>
    public static double? Bf16Speedup(IReadOnlyList<BenchmarkResult> results) =>
        Find(results, BenchmarkPaths.Fp32) is { } fp32 && Find(results, BenchmarkPaths.Bf16) is { } bf16
            ? bf16.TokensPerSecond / fp32.TokensPerSecond
            : null;

    /// <summary>nf4 ÷ bf16 peak of live memory over the baseline; null unless both paths ran with an allocation pass.</summary>
    public static double? Nf4MemoryFraction(IReadOnlyList<BenchmarkResult> results) =>
        Fraction(results, result => result.AllocationPeakOverBaselineBytes);

    /// <summary>
    /// nf4 ÷ bf16 resident high-water mark over the baseline in the timed processes, whose heap keeps freed blocks for
    /// speed; shown beside the target, not judged; null unless both paths ran and memory could be read.
    /// </summary>
    public static double? Nf4ResidentMemoryFraction(IReadOnlyList<BenchmarkResult> results) =>
        Fraction(results, result => result.PeakOverBaselineBytes);

    /// <summary>nf4 mean step time ÷ bf16 mean step time; null unless both paths ran.</summary>
    public static double? Nf4StepTimeRatio(IReadOnlyList<BenchmarkResult> results) =>
        Find(results, BenchmarkPaths.Bf16) is { } bf16 && Find(results, BenchmarkPaths.Nf4) is { } nf4
            ? nf4.MeanStepSeconds / bf16.MeanStepSeconds
            : null;

    private static double? Fraction(IReadOnlyList<BenchmarkResult> results, Func<BenchmarkResult, long?> bytes) =>
        Find(results, BenchmarkPaths.Bf16) is { } bf16 && bytes(bf16) is > 0 and var bf16Bytes
        && Find(results, BenchmarkPaths.Nf4) is { } nf4 && bytes(nf4) is { } nf4Bytes
            ? nf4Bytes / (double)bf16Bytes
            : null;
}
