namespace LoraBuild.Testing.Tests;

public class ToleranceTests
{
    [Theory]
    [InlineData(0.5, 0.5, true)]
    [InlineData(2.0, 2.0 * (1 + 0.9e-6), true)]
    [InlineData(2.0, 2.0 * (1 + 1.1e-6), false)]
    [InlineData(0.0, 1e-13, true)]
    [InlineData(0.0, 1e-9, false)]
    [InlineData(-3.0, 3.0, false)]
    public void TheDefaultAllowsOnePartPerMillionAndAlmostNothingNearZero(double verified, double received, bool allowed) =>
        Assert.Equal(allowed, NumberTolerance.Default.Allows(verified, received));

    [Fact]
    public void ExactAllowsOnlyTheSameNumber()
    {
        Assert.True(NumberTolerance.Exact.Allows(0.1, 0.1));
        Assert.False(NumberTolerance.Exact.Allows(0.1, Math.BitIncrement(0.1)));
        Assert.Equal("exact", NumberTolerance.Exact.ToString());
    }

    [Fact]
    public void ALossWithinTheToleranceMatchesAndTheVerifiedFileKeepsItsValue()
    {
        using var folder = new TempDirectory();
        MetricsSnapshot.Verify(new Dictionary<string, double> { ["train.loss_final"] = 0.9655316710509736 }, "loss", Accepting(folder));
        var verified = File.ReadAllBytes(folder.File("loss.verified.json"));

        MetricsSnapshot.Verify(new Dictionary<string, double> { ["train.loss_final"] = 0.9655317 }, "loss", folder.Options());

        Assert.Equal(verified, File.ReadAllBytes(folder.File("loss.verified.json")));
        Assert.False(File.Exists(folder.File("loss.received.json")));
    }

    [Fact]
    public void ALossOutsideTheToleranceFailsNamingKeyValuesAndTolerance()
    {
        using var folder = new TempDirectory();
        MetricsSnapshot.Verify(new Dictionary<string, double> { ["train.loss_final"] = 0.96553, ["train.steps"] = 852 }, "loss", Accepting(folder));

        var failure = Assert.Throws<SnapshotMismatchException>(() =>
            MetricsSnapshot.Verify(new Dictionary<string, double> { ["train.loss_final"] = 0.9656, ["train.steps"] = 852 }, "loss", folder.Options()));

        Assert.Contains("\nmetrics: expected train.loss_final 0.96553 but got 0.9656 (tolerance ±1e-6 relative, ±1e-12 absolute)\n", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APerKeyToleranceOverridesTheDefaultAndTheLongestPatternWins()
    {
        using var folder = new TempDirectory();
        var verified = new Dictionary<string, double> { ["train.loss_final"] = 1.0, ["train.loss_first"] = 7.0, ["eval.after.rouge_l"] = 0.5 };
        MetricsSnapshot.Verify(verified, "loose", Accepting(folder));
        var options = folder.Options();
        options.Tolerances["train.*"] = NumberTolerance.RelativeOf(1e-2);
        options.Tolerances["train.loss_first"] = NumberTolerance.Exact;

        MetricsSnapshot.Verify(new Dictionary<string, double> { ["train.loss_final"] = 1.005, ["train.loss_first"] = 7.0, ["eval.after.rouge_l"] = 0.5 }, "loose", options);
        var failure = Assert.Throws<SnapshotMismatchException>(() =>
            MetricsSnapshot.Verify(new Dictionary<string, double> { ["train.loss_final"] = 1.005, ["train.loss_first"] = 7.001, ["eval.after.rouge_l"] = 0.500001 }, "loose", options));

        Assert.Contains("\nmetrics:\n  expected eval.after.rouge_l 0.5 but got 0.500001 (tolerance ±1e-6 relative, ±1e-12 absolute)\n  expected train.loss_first 7 but got 7.001 (tolerance exact)\n", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("loss_final", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvalScoresUseTheirKeysTolerance()
    {
        using var folder = new TempDirectory();
        var outputs = SampleOutputs.Create();
        EvalSnapshot.Verify(outputs, "scores", Accepting(folder));
        var nudged = outputs with { After = outputs.After.ToDictionary(p => p.Key, p => p.Key == "rouge_l" ? p.Value - 0.01 : p.Value) };
        var options = folder.Options();
        options.Tolerances["rouge_l"] = new NumberTolerance(0, 0.02);

        EvalSnapshot.Verify(nudged, "scores", options);
        Assert.Throws<SnapshotMismatchException>(() => EvalSnapshot.Verify(nudged, "scores", folder.Options()));
    }

    private static SnapshotOptions Accepting(TempDirectory folder)
    {
        var options = folder.Options();
        options.Accept = true;
        return options;
    }
}
