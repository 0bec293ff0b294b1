using LoraBuild.Core.Models;
using LoraBuild.Engine.Benchmarks;
using LoraBuild.Engine.Tests.Models;

namespace LoraBuild.Engine.Tests.Benchmarks;

public class TrainingFlopsTests
{
    [Fact]
    public void TheDefaultBenchmarkStepCountsEachTermByHand()
    {
        var settings = new BenchmarkSettings();
        var config = settings.ModelConfig();

        // q, k, v, o: 4 · 768²; gate, up, down: 3 · 768 · 2048; twelve layers.
        const long DecoderWeights = ((4L * 768 * 768) + (3L * 768 * 2048)) * 12;
        const long LoraOnQueryAndValue = 2L * 8 * (768 + 768) * 12;
        const double Tokens = 4 * 256;
        const double Predicted = 4 * 255;

        var flops = TrainingFlops.ForStep(config, LoraOnQueryAndValue, settings.BatchSize, settings.SequenceLength, settings.PredictedTokensPerStep);

        Assert.Equal(84_934_656, TrainingFlops.DecoderProjectionWeights(config));
        Assert.Equal(4.0 * DecoderWeights * Tokens, flops.BaseProjections);
        Assert.Equal(4.0 * 768 * 32000 * Predicted, flops.OutputHead);
        Assert.Equal(3 * 4.0 * 12 * 256 * 768 * Tokens, flops.Attention);
        Assert.Equal(6.0 * LoraOnQueryAndValue * Tokens, flops.Lora);
        Assert.Equal(478_965_399_552, flops.Total);
    }

    [Fact]
    public void TheBaseModelHasTheExpectedParameterCount()
    {
        var config = new BenchmarkSettings().ModelConfig();

        // Embedding and untied head 2 · 32000 · 768, decoder projections, two norms per layer and the final norm.
        Assert.Equal(134_105_856, ParameterCounts.For(config).Total);
        Assert.Equal((2L * 32000 * 768) + 84_934_656 + (2L * 768 * 12) + 768, ParameterCounts.For(config).Total);
    }

    [Fact]
    public void AttentionUsesTheQueryWidthAndEveryTermScalesWithTheBatch()
    {
        var config = MicroModels.Llama(keyValueHeads: 2);
        var one = TrainingFlops.ForStep(config, loraParameters: 100, batchSize: 1, sequenceLength: 16, predictedTokens: 15);
        var two = TrainingFlops.ForStep(config, loraParameters: 100, batchSize: 2, sequenceLength: 16, predictedTokens: 30);

        // Four query heads of 8, whatever the key/value heads.
        Assert.Equal(3 * 4.0 * config.NumHiddenLayers * 16 * 32 * 16, one.Attention);
        Assert.Equal(2 * one.Total, two.Total);
    }
}
