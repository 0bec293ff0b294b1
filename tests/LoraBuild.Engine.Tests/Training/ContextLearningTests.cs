using LoraBuild.Core.Adapters;
using LoraBuild.Core.Data;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Training;

/// <summary>
/// The model must learn to use earlier context, not just token statistics: sequences "x f1 f2 f3 f4 SEP x" where
/// only the last token is a target and it equals the first. Without working attention the loss stays at ln 8.
/// The padded case mixes lengths in a batch, so training goes through the padding-mask attention path.
/// </summary>
public class ContextLearningTests
{
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 0)]
    [InlineData(true, 60)]
    public void AMicroModelLearnsToCopyTheFirstTokenToTheEnd(bool padded, int sharedPrefix)
    {
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 5);
        var metrics = TrainCopyTask(model, TrainingTestData.Spec(learningRate: 1e-2, maxSteps: 400), padded, sharedPrefix);

        Assert.True(metrics.LossFinal < 0.3, $"first loss {metrics.LossFirst}, final loss {metrics.LossFinal} (ln 8 = 2.08 means the context is ignored)");
    }

    [Fact]
    public void LoraAloneTeachesAFrozenMicroModelToCopy()
    {
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 5);
        using var generator = new TorchSharp.torch.Generator(11, TorchSharp.torch.CPU);
        LoraInjector.Apply(model, new LoraSettings { Rank = 8, Alpha = 16, Targets = AdapterTargets.ParseSpec("all-linear") }, generator, null);
        var spec = TrainingTestData.Spec(learningRate: 1e-2, maxSteps: 400) with { Mode = TrainingModes.Lora };

        var metrics = TrainCopyTask(model, spec, padded: true, sharedPrefix: 0);

        Assert.True(metrics.LossFinal < 0.3, $"first loss {metrics.LossFirst}, final loss {metrics.LossFinal} (ln 8 = 2.08 means the context is ignored)");
    }

    /// <summary>
    /// "a b c d e SEP a b c d e" with the repeat as target: predicting each repeated token needs a head that looks at the
    /// previous token (relative positions, from RoPE) and one that finds where the current token occurred before —
    /// the induction circuit. Without working rotary positions the loss stays near ln 40.
    /// </summary>
    [Fact]
    public void AMicroModelLearnsToRepeatARandomSequence()
    {
        var random = new SplitMix64(9);
        var examples = Enumerable.Range(0, 256).Select(_ =>
        {
            var sequence = Enumerable.Range(0, 6).Select(_ => (int)(10 + random.NextInt(40))).ToArray();
            return TrainingTestData.Example(7 + 1, [.. sequence.Append(2).Concat(sequence)]);
        }).ToArray();
        var batches = Enumerable.Range(0, 16).Select(b => TrainingTestData.Batch(examples[(b * 16)..((b + 1) * 16)])).ToArray();
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 5);
        using var trainer = new Trainer(model, TrainingTestData.Spec(learningRate: 1e-2, maxSteps: 600), new FixedBatches(batches));

        var metrics = trainer.Train();

        Assert.True(metrics.LossFinal < 0.5, $"first loss {metrics.LossFirst}, final loss {metrics.LossFinal} (ln 40 = 3.69 means no induction)");
    }

    private static TrainingMetrics TrainCopyTask(CausalLanguageModel model, TrainingSpec spec, bool padded, int sharedPrefix)
    {
        var random = new SplitMix64(3);
        var examples = Enumerable.Range(0, 64).Select(_ =>
        {
            var answer = 10 + random.NextInt(8);
            var fillerCount = padded ? 2 + random.NextInt(4) : 4;
            var fillers = Enumerable.Range(0, fillerCount).Select(_ => 30 + random.NextInt(20));
            var prefix = Enumerable.Range(0, sharedPrefix).Select(i => 20 + (i % 7));
            return TrainingTestData.Example(sharedPrefix + fillerCount + 2, [.. prefix.Append(answer).Concat(fillers).Append(2).Append(answer)]);
        }).ToArray();
        var batches = Enumerable.Range(0, 4).Select(b => TrainingTestData.Batch(examples[(b * 16)..((b + 1) * 16)])).ToArray();
        using var trainer = new Trainer(model, spec, new FixedBatches(batches));
        return trainer.Train();
    }
}
