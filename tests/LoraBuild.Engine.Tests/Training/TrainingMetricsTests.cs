using System.Text.Json;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Training;

public class TrainingMetricsTests
{
    [Fact]
    public void LossFinalAveragesTheLastTenStepsAndLossFirstIsTheFirst()
    {
        var history = new TrainingHistory();
        for (var step = 1; step <= 15; step++)
        {
            history.Add(new StepRecord(step, 0, Loss: 20 - step, LearningRate: 1e-3, GradientNorm: 1, TargetTokens: 10, TotalTokens: 40, Seconds: 0.5));
        }

        var metrics = TrainingMetrics.From(history, peakMemoryBytes: 4096);

        Assert.Equal(19, metrics.LossFirst);
        Assert.Equal(Enumerable.Range(6, 10).Average(step => 20.0 - step), metrics.LossFinal);
        Assert.Equal((15, 150L, 600L, 7.5), (metrics.Steps, metrics.TargetTokens, metrics.TotalTokens, metrics.WallSeconds));
        Assert.Equal(80, metrics.TokensPerSecond);
    }

    [Fact]
    public void ManifestValuesAndJsonUseSnakeCaseNames()
    {
        var history = new TrainingHistory();
        history.Add(new StepRecord(1, 0, 2.5, 1e-3, 1, 10, 40, 2));

        var withPeak = TrainingMetrics.From(history, peakMemoryBytes: 4096);
        var withoutPeak = TrainingMetrics.From(history, peakMemoryBytes: null);

        Assert.Equal(
            ["loss_final", "loss_first", "peak_memory_bytes", "steps", "target_tokens", "tokens_per_second", "total_tokens", "wall_seconds"],
            withPeak.ToManifestValues().Keys);
        Assert.DoesNotContain("peak_memory_bytes", withoutPeak.ToManifestValues().Keys);
        Assert.Contains("\"loss_final\":2.5", JsonSerializer.Serialize(withPeak), StringComparison.Ordinal);
        Assert.Equal(["loss", "perplexity", "target_tokens"], new EvaluationResult(1, Math.E, 3, 1).ToManifestValues().Keys);
    }
}
