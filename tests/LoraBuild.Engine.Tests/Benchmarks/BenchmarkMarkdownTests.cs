using LoraBuild.Engine.Benchmarks;
using LoraBuild.Engine.Native;

namespace LoraBuild.Engine.Tests.Benchmarks;

public class BenchmarkMarkdownTests
{
    private static BenchmarkResult Result(string path, double stepSeconds, double matmulGflops, long peakMiB = 900, long? livePeakMiB = null) => new()
    {
        Path = path,
        Settings = new BenchmarkSettings(),
        Machine = new MachineDescription("Test CPU", 2, 2, "2.10.0", "0.107.0", 0.5),
        BaseParameters = 134_105_856,
        TrainableParameters = 294_912,
        FlopsPerStep = new TrainingFlops(300e9, 100e9, 29e9, 2e9),
        WarmupStepSeconds = [9.0],
        StepSeconds = [stepSeconds, stepSeconds],
        MatmulGflopsFp32 = matmulGflops,
        MatmulGflopsBf16 = matmulGflops * 3,
        BaselineMemoryBytes = 100L << 20,
        PeakMemoryBytes = peakMiB << 20,
        AllocationPeakOverBaselineBytes = livePeakMiB << 20,
        LossFirst = 10.4,
        LossLast = 10.3,
    };

    [Fact]
    public void TheSectionReportsEachPathAndWhetherTheTargetsAreMet()
    {
        // fp32: 431 GFLOP in 4.31 s = 100 GFLOP/s of 200 → 50 %; bf16 takes 2.0 s, so 2.155× faster.
        var results = new[] { Result(BenchmarkPaths.Fp32, 4.31, 200), Result(BenchmarkPaths.Bf16, 2.0, 200) };

        var section = BenchmarkMarkdown.Render(results, "dotnet lora bench");

        Assert.StartsWith(BenchmarkMarkdown.BeginMarker, section, StringComparison.Ordinal);
        Assert.EndsWith(BenchmarkMarkdown.EndMarker + Environment.NewLine, section, StringComparison.Ordinal);
        Assert.Contains("| fp32 (fp32 base, fp32 LoRA) | 238 | 4.31 s (4.31–4.31) | 100.0 | 200.0 | 50.0 % | 900 MiB | 800 MiB | n/a | 0.50 |", section, StringComparison.Ordinal);
        Assert.Contains("| fp32 MFU | ≥ 35 % | 50.0 % | yes |", section, StringComparison.Ordinal);
        Assert.Contains("| 2.15× | yes |", section, StringComparison.Ordinal);
        Assert.Contains("134,105,856 parameters", section, StringComparison.Ordinal);
    }

    [Fact]
    public void ATargetMissedIsSaidSo()
    {
        var results = new[] { Result(BenchmarkPaths.Fp32, 20, 200), Result(BenchmarkPaths.Bf16, 18, 200) };

        var section = BenchmarkMarkdown.Render(results, "dotnet lora bench");

        Assert.Contains("| fp32 MFU | ≥ 35 % | 10.8 % | **no** |", section, StringComparison.Ordinal);
        Assert.Contains("| 1.11× | **no** |", section, StringComparison.Ordinal);
    }

    [Fact]
    public void SplicingReplacesOnlyTheOldSection()
    {
        var document = $"# Title\n\nProse before.\n\n{BenchmarkMarkdown.BeginMarker}\nold numbers\n{BenchmarkMarkdown.EndMarker}\n\nProse after.\n";
        var section = $"{BenchmarkMarkdown.BeginMarker}\nnew numbers\n{BenchmarkMarkdown.EndMarker}\n";

        var spliced = BenchmarkMarkdown.Splice(document, section);

        Assert.Equal($"# Title\n\nProse before.\n\n{section}\nProse after.\n", spliced);
        Assert.Equal(spliced, BenchmarkMarkdown.Splice(spliced, section));
    }

    [Fact]
    public void SplicingAppendsWhenTheDocumentHasNoSection()
    {
        var section = $"{BenchmarkMarkdown.BeginMarker}\nnumbers\n{BenchmarkMarkdown.EndMarker}\n";

        Assert.Equal($"# Title{Environment.NewLine}{Environment.NewLine}{section}", BenchmarkMarkdown.Splice("# Title\n", section));
        Assert.Equal(section, BenchmarkMarkdown.Splice(null, section));
    }

    [Fact]
    public void ResultsSurviveAJsonRoundTrip()
    {
        var results = new[] { Result(BenchmarkPaths.Fp32, 4.31, 200, livePeakMiB: 600) with { Heap = HeapModes.ExactAllocations } };

        var back = BenchmarkJson.Deserialize(BenchmarkJson.Serialize(results)).Single();

        Assert.Equal(results[0].FlopsPerStep, back.FlopsPerStep);
        Assert.Equal(results[0].Settings, back.Settings);
        Assert.Equal(results[0].Machine, back.Machine);
        Assert.Equal(results[0].StepSeconds, back.StepSeconds);
        Assert.Equal(results[0].Mfu, back.Mfu);
        Assert.Equal(results[0].PeakOverBaselineBytes, back.PeakOverBaselineBytes);
        Assert.Equal(results[0].AllocationPeakOverBaselineBytes, back.AllocationPeakOverBaselineBytes);
        Assert.Equal(results[0].Heap, back.Heap);
    }

    [Fact]
    public void TheQloraTargetsCompareNf4WithBf16()
    {
        // Live peaks over the baseline: bf16 500 MiB, nf4 250 (0.50 of it); nf4 takes 2.4 s to bf16's 2.0 (1.20×).
        // The tuned heap's marks (800 and 600 MiB over a 100 MiB baseline, 0.75) are shown but do not decide.
        var results = new[]
        {
            Result(BenchmarkPaths.Bf16, 2.0, 200, peakMiB: 900, livePeakMiB: 500),
            Result(BenchmarkPaths.Nf4, 2.4, 200, peakMiB: 700, livePeakMiB: 250),
        };

        var section = BenchmarkMarkdown.Render(results, "dotnet lora bench");

        Assert.Contains("| nf4 (QLoRA: NF4 decoder projections, bf16 compute, fp32 LoRA and AdamW state) |", section, StringComparison.Ordinal);
        Assert.Contains("| 700 MiB | 600 MiB | 250 MiB |", section, StringComparison.Ordinal);
        Assert.Contains("| nf4 live memory peak over baseline ÷ bf16's | ≤ 0.6 | 0.50 | yes |", section, StringComparison.Ordinal);
        Assert.Contains("| nf4 peak over baseline ÷ bf16's, tuned heap (shown, not judged) | | 0.75 | |", section, StringComparison.Ordinal);
        Assert.Contains("| nf4 step time ÷ bf16 step time | ≤ 1.25× | 1.20× | yes |", section, StringComparison.Ordinal);

        var slow = BenchmarkMarkdown.Render([results[0], Result(BenchmarkPaths.Nf4, 3.0, 200, peakMiB: 500, livePeakMiB: 350)], "dotnet lora bench");
        Assert.Contains("| nf4 live memory peak over baseline ÷ bf16's | ≤ 0.6 | 0.70 | **no** |", slow, StringComparison.Ordinal);
        Assert.Contains("| nf4 step time ÷ bf16 step time | ≤ 1.25× | 1.50× | **no** |", slow, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAnAllocationPassThereIsNoMemoryVerdict()
    {
        var results = new[] { Result(BenchmarkPaths.Bf16, 2.0, 200, peakMiB: 900), Result(BenchmarkPaths.Nf4, 2.4, 200, peakMiB: 500) };

        var section = BenchmarkMarkdown.Render(results, "dotnet lora bench");

        Assert.Null(BenchmarkTargets.Nf4MemoryFraction(results));
        Assert.DoesNotContain("nf4 live memory peak", section, StringComparison.Ordinal);
        Assert.Contains("| nf4 peak over baseline ÷ bf16's, tuned heap (shown, not judged) | | 0.50 | |", section, StringComparison.Ordinal);
    }

    [Fact]
    public void NamedSectionsLiveSideBySideAndEachIsReplacedAlone()
    {
        var results = new[] { Result(BenchmarkPaths.Bf16, 2.0, 200) };
        var unnamed = BenchmarkMarkdown.Render(results, "first");
        var named = BenchmarkMarkdown.Render(results, "second", "qlora");
        var document = BenchmarkMarkdown.Splice(BenchmarkMarkdown.Splice("# Bench\n", unnamed), named, "qlora");

        var renamed = BenchmarkMarkdown.Render(results, "third", "qlora");
        var updated = BenchmarkMarkdown.Splice(document, renamed, "qlora");

        Assert.StartsWith("<!-- bench:qlora:begin", named, StringComparison.Ordinal);
        Assert.Contains("Produced by `first`.", updated, StringComparison.Ordinal);
        Assert.Contains("Produced by `third`.", updated, StringComparison.Ordinal);
        Assert.DoesNotContain("Produced by `second`.", updated, StringComparison.Ordinal);
    }
}
