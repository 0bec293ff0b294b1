using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Benchmarks;
using LoraBuild.Engine.Native;

namespace LoraBuild.Engine.Tests.Benchmarks;

public class BenchmarkRunnerTests
{
    internal static BenchmarkSettings Micro => new()
    {
        Layers = 2,
        Hidden = 32,
        Intermediate = 64,
        Heads = 4,
        Vocab = 64,
        SequenceLength = 16,
        BatchSize = 2,
        Steps = 2,
        WarmupSteps = 1,
        MatmulSize = 64,
    };

    [Theory]
    [InlineData(BenchmarkPaths.Fp32)]
    [InlineData(BenchmarkPaths.Bf16)]
    [InlineData(BenchmarkPaths.Nf4)]
    public void AMicroBenchmarkTrainsAndReportsConsistentNumbers(string path)
    {
        var lines = new List<string>();

        var result = BenchmarkRunner.Run(Micro, path, lines.Add);

        Assert.Equal(path, result.Path);
        Assert.Equal(2, result.StepSeconds.Count);
        Assert.Single(result.WarmupStepSeconds);
        Assert.Equal(2L * 2 * 8 * (32 + 32), result.TrainableParameters);
        Assert.True(double.IsFinite(result.LossFirst) && double.IsFinite(result.LossLast));
        Assert.InRange(result.LossFirst, 3, 6); // ln 64 ≈ 4.16 for random weights and random tokens
        Assert.Equal(result.FlopsPerStep.Total / result.MeanStepSeconds / 1e9, result.AchievedGflops, 9);
        Assert.Equal(32 / result.MeanStepSeconds, result.TokensPerSecond, 9);
        Assert.True(result.MatmulGflopsFp32 > 0 && result.MatmulGflopsBf16 > 0);
        Assert.Equal(result.AchievedGflops / result.MatmulGflops, result.Mfu, 12);
        if (OperatingSystem.IsLinux())
        {
            // Inside this long-lived test process the garbage collector may hand memory back between the baseline and
            // the start of training, so only the bench's own child processes can promise a peak above the baseline.
            Assert.True(result.PeakMemoryBytes > 0 && result.BaselineMemoryBytes > 0);
            Assert.Equal(result.PeakMemoryBytes - result.BaselineMemoryBytes, result.PeakOverBaselineBytes);
            Assert.Equal(HeapModes.Tuned, result.Heap);
        }

        // A process started without the exact-allocation heap does not claim a live-memory peak.
        Assert.Null(result.AllocationPeakOverBaselineBytes);

        Assert.Contains(lines, line => line.Contains("step 3/3 (timed)", StringComparison.Ordinal));
    }

    [Fact]
    public void ActivationCheckpointingTrainsTheSameSteps()
    {
        var lines = new List<string>();

        var plain = BenchmarkRunner.Run(Micro, BenchmarkPaths.Fp32);
        var checkpointed = BenchmarkRunner.Run(Micro with { ActivationCheckpointing = true }, BenchmarkPaths.Fp32, lines.Add);

        Assert.True(checkpointed.Settings.ActivationCheckpointing);
        Assert.Contains(lines, line => line.Contains("activation checkpointing", StringComparison.Ordinal));
        Assert.Equal(plain.LossFirst, checkpointed.LossFirst);
        Assert.Equal(plain.LossLast, checkpointed.LossLast);
    }

    [Fact]
    public void AnUnknownPathIsRefusedWithItsCode()
    {
        var error = Assert.Throws<LoraException>(() => BenchmarkRunner.Run(Micro, "fp16"));

        Assert.Equal(BenchmarkErrorCodes.BenchmarkPathUnknown, error.Code);
    }

    [Fact]
    public void AWidthTheHeadsDoNotDivideIsRefusedWithItsCode()
    {
        var error = Assert.Throws<LoraException>(() => (Micro with { Hidden = 30 }).Validate());

        Assert.Equal(BenchmarkErrorCodes.BenchmarkSettingInvalid, error.Code);
        Assert.Equal("--hidden", error.Location);
    }
}
