using LoraBuild.Core.Specs;
using LoraBuild.Core.Training;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void ATinyModelOverfitsFourSequences()
    {
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 3);
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        using var trainer = new Trainer(model, TrainingTestData.Spec(learningRate: 1e-2, maxSteps: 150), data);

        var metrics = trainer.Train();

        Assert.Equal(150, metrics.Steps);
        Assert.True(metrics.LossFirst > 2, $"first loss {metrics.LossFirst}");
        Assert.True(metrics.LossFinal < 0.05, $"final loss {metrics.LossFinal}");
    }

    [Fact]
    public void TheSameSeedGivesBitwiseIdenticalWeightsWithDropout()
    {
        using var first = TrainWithDropout(seed: 7);
        using var second = TrainWithDropout(seed: 7);
        using var otherSeed = TrainWithDropout(seed: 8);

        TrainingTestData.AssertBitwiseEqual(first, second);
        Assert.Throws<Xunit.Sdk.TrueException>(() => TrainingTestData.AssertBitwiseEqual(first, otherSeed));
    }

    [Fact]
    public void StochasticModulesDrawFromTheStatesGenerator()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var dropouts = DropoutProjection.AddTo(model, 0.2);
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        var trainer = new Trainer(model, TrainingTestData.Spec(maxSteps: 1), data);

        Assert.Equal(4, dropouts.Count);
        Assert.All(dropouts, dropout => Assert.Same(trainer.State.DropoutGenerator, dropout.Generator));
        trainer.Train();
        Assert.All(dropouts, dropout => Assert.Equal(1, dropout.TrainingForwards));

        trainer.Dispose();
        Assert.All(dropouts, dropout => Assert.Null(dropout.Generator));
    }

    [Fact]
    public void AccumulatingTwoHalfBatchesEqualsOneWholeBatch()
    {
        // Micro-batches with 12 and 4 target tokens: a mean of per-micro-batch means would weigh them wrongly.
        var examples = new[]
        {
            TrainingTestData.Example(1, 3, 17, 42, 8, 51, 22),
            TrainingTestData.Example(2, 9, 4, 33, 60, 12, 5, 27, 44, 19),
            TrainingTestData.Example(2, 14, 38, 7, 56),
            TrainingTestData.Example(3, 61, 2, 29, 11, 46),
        };
        var spec = TrainingTestData.Spec(Optimizers.Sgd, learningRate: 0.5, maxSteps: 1);
        using var whole = MicroModels.Create(MicroModels.Llama(), seed: 5);
        using var accumulated = MicroModels.Create(MicroModels.Llama(), seed: 5);
        using var wholeTrainer = new Trainer(whole, spec, new FixedBatches(TrainingTestData.Batch(examples)));
        using var accumulatedTrainer = new Trainer(
            accumulated,
            spec with { GradientAccumulationSteps = 2 },
            new FixedBatches(TrainingTestData.Batch(examples[0], examples[1]), TrainingTestData.Batch(examples[2], examples[3])));

        var wholeMetrics = wholeTrainer.Train();
        var accumulatedMetrics = accumulatedTrainer.Train();

        Assert.Equal(1, accumulatedMetrics.Steps);
        Assert.Equal(16, accumulatedMetrics.TargetTokens);
        Assert.Equal(wholeMetrics.LossFirst, accumulatedMetrics.LossFirst, 5);
        Assert.Equal(wholeTrainer.State.History.Steps[0].GradientNorm, accumulatedTrainer.State.History.Steps[0].GradientNorm, 4);
        var accumulatedParameters = accumulated.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter);
        foreach (var (name, parameter) in whole.named_parameters())
        {
            TensorAssert.RelativelyClose(parameter, accumulatedParameters[name], 1e-5);
        }
    }

    [Fact]
    public void ClippingBoundsTheUpdateAndThePreClipNormIsReported()
    {
        var spec = TrainingTestData.Spec(Optimizers.Sgd, learningRate: 1.0, maxSteps: 1);
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        using var free = MicroModels.Create(MicroModels.Llama(), seed: 2);
        using var clipped = MicroModels.Create(MicroModels.Llama(), seed: 2);
        var initial = TrainingTestData.Snapshot(free);
        using var freeTrainer = new Trainer(free, spec, data);
        freeTrainer.Train();
        var norm = freeTrainer.State.History.Steps[0].GradientNorm;
        var maxNorm = norm / 10;
        using var clippedTrainer = new Trainer(clipped, spec with { MaxGradNorm = maxNorm }, data);
        clippedTrainer.Train();

        Assert.Equal(norm, TrainingTestData.UpdateNorm(initial, free), norm * 1e-4);
        Assert.Equal(norm, clippedTrainer.State.History.Steps[0].GradientNorm);
        var clippedUpdate = TrainingTestData.UpdateNorm(initial, clipped);
        Assert.InRange(clippedUpdate, maxNorm * 0.999, maxNorm * 1.0001);
    }

    [Fact]
    public void TrainingEqualsAHandWrittenLoopWithTheScheduledLearningRates()
    {
        var spec = TrainingTestData.Spec(Optimizers.Sgd, learningRate: 0.5, maxSteps: 5) with
        {
            Scheduler = Schedulers.Linear,
            WarmupSteps = 2,
            MinLearningRate = 0.05,
            Epochs = 3,
        };
        var examples = TrainingTestData.FourExamples();
        var batches = new[] { TrainingTestData.Batch(examples[0], examples[1]), TrainingTestData.Batch(examples[2], examples[3]) };
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 4);
        using var reference = MicroModels.Create(MicroModels.Llama(), seed: 4);
        using var trainer = new Trainer(model, spec, new FixedBatches(batches));
        var progress = new List<TrainingProgress>();

        trainer.Train(progress.Add);

        var schedule = LearningRateSchedule.For(spec, 5);
        Assert.Equal(Enumerable.Range(0, 5).Select(schedule.At), progress.Select(report => report.LearningRate));
        for (var step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            var loss = CausalLmLossTests.ReferenceMeanLossTensor(reference, batches[step % 2]);
            Assert.Equal(loss.item<float>(), progress[step].Loss, 4);
            loss.backward();
            using (no_grad())
            {
                foreach (var parameter in reference.parameters())
                {
                    parameter.sub_(parameter.grad! * schedule.At(step));
                }
            }

            reference.zero_grad();
        }

        var trained = model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter);
        foreach (var (name, parameter) in reference.named_parameters())
        {
            TensorAssert.RelativelyClose(parameter, trained[name], 1e-4);
        }
    }

    [Fact]
    public void MaxStepsWinsOverEpochsAndGoesOnIntoLaterEpochs()
    {
        var examples = TrainingTestData.FourExamples();
        var data = new FixedBatches(
            TrainingTestData.Batch(examples[0]), TrainingTestData.Batch(examples[1]), TrainingTestData.Batch(examples[2]));
        using var model = MicroModels.Create(MicroModels.Llama());
        var spec = TrainingTestData.Spec(maxSteps: 5) with { Epochs = 2, GradientAccumulationSteps = 2 };
        using var trainer = new Trainer(model, spec, data);

        trainer.Train();

        Assert.Equal(new TrainingPlan(3, 2, 2, 5), trainer.State.Plan);
        Assert.Equal([(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1)], data.Requests);
        Assert.Equal([0, 0, 1, 1, 2], trainer.State.History.Steps.Select(step => step.Epoch));
        Assert.Equal((5, 2, 2), (trainer.State.OptimizerStep, trainer.State.Epoch, trainer.State.BatchInEpoch));
        Assert.True(trainer.State.IsComplete);
    }

    [Fact]
    public void EpochsDecideTheLengthWithoutMaxSteps()
    {
        var examples = TrainingTestData.FourExamples();
        var data = new FixedBatches(
            TrainingTestData.Batch(examples[0]), TrainingTestData.Batch(examples[1]), TrainingTestData.Batch(examples[2]));
        using var model = MicroModels.Create(MicroModels.Llama());
        using var trainer = new Trainer(model, TrainingTestData.Spec() with { Epochs = 2, GradientAccumulationSteps = 2 }, data);

        var metrics = trainer.Train();

        Assert.Equal(4, metrics.Steps);
        Assert.Equal(6, data.Requests.Count);
        Assert.Equal((2, 0), (trainer.State.Epoch, trainer.State.BatchInEpoch));
    }

    [Fact]
    public void MetricsAndProgressDescribeTheRun()
    {
        var examples = TrainingTestData.FourExamples();
        var data = new FixedBatches(TrainingTestData.Batch(examples[0], examples[1]), TrainingTestData.Batch(examples[2], examples[3]));
        using var model = MicroModels.Create(MicroModels.Llama());
        using var trainer = new Trainer(model, TrainingTestData.Spec(maxSteps: 12), data);
        var progress = new List<TrainingProgress>();

        var metrics = trainer.Train(progress.Add);

        var targetsPerEpoch = examples.Sum(example => example.IsTarget.Skip(1).Count(target => target));
        var tokensPerEpoch = examples.Sum(example => example.Length);
        Assert.Equal(12, metrics.Steps);
        Assert.Equal(6L * targetsPerEpoch, metrics.TargetTokens);
        Assert.Equal(6L * tokensPerEpoch, metrics.TotalTokens);
        Assert.Equal(progress[0].Loss, metrics.LossFirst);
        Assert.Equal(progress.Skip(2).Average(report => report.Loss), metrics.LossFinal, 12);
        Assert.True(metrics.WallSeconds > 0);
        Assert.Equal(metrics.TotalTokens / metrics.WallSeconds, metrics.TokensPerSecond, 6);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(metrics.PeakMemoryBytes > 1 << 20, $"peak memory {metrics.PeakMemoryBytes}");
        }

        Assert.Equal(Enumerable.Range(1, 12), progress.Select(report => report.Step));
        Assert.All(progress, report => Assert.Equal(12, report.TotalSteps));
        Assert.All(progress, report => Assert.True(report.GradientNorm > 0 && report.TokensPerSecond > 0));
        Assert.Equal(TimeSpan.Zero, progress[^1].Remaining);
        Assert.True(progress[0].Remaining > TimeSpan.Zero);
        Assert.Equal(metrics.WallSeconds, progress[^1].Elapsed.TotalSeconds, 3);
    }

    [Fact]
    public void LoraModeTrainsOnlyTheParametersThatRequireAGradient()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        foreach (var (name, parameter) in model.named_parameters())
        {
            parameter.requires_grad = name.Contains("q_proj", StringComparison.Ordinal);
        }

        var before = TrainingTestData.Snapshot(model);
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        using var trainer = new Trainer(model, TrainingTestData.Spec(maxSteps: 3) with { Mode = TrainingModes.Lora }, data);

        trainer.Train();

        Assert.Equal(["model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.q_proj.weight"], trainer.State.Parameters.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, parameter) in model.named_parameters())
        {
            var unchanged = TrainingTestData.BitwiseEqual(before[name], parameter);
            Assert.True(unchanged != name.Contains("q_proj", StringComparison.Ordinal), name);
        }
    }

    [Fact]
    public void WeightDecayLeavesNormWeightsAlone()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        using var trainer = new Trainer(model, TrainingTestData.Spec(maxSteps: 1) with { WeightDecay = 0.1 }, data);

        var decayed = trainer.State.Optimizer.Parameters.Where(parameter => parameter.ApplyWeightDecay).Select(parameter => parameter.Name).ToList();

        Assert.Contains("model.embed_tokens.weight", decayed);
        Assert.Contains("model.layers.0.mlp.down_proj.weight", decayed);
        Assert.DoesNotContain(decayed, name => name.EndsWith("norm.weight", StringComparison.Ordinal));
    }

    private static Engine.Models.CausalLanguageModel TrainWithDropout(int seed)
    {
        var model = MicroModels.Create(MicroModels.Llama(), seed: 1);
        DropoutProjection.AddTo(model, 0.3);
        var data = ExampleBatches.Shuffled(TrainingTestData.FourExamples(), batchSize: 2, seed: 7, TrainingTestData.PadId);
        using var trainer = new Trainer(model, TrainingTestData.Spec(maxSteps: 6) with { Seed = seed, Epochs = 3 }, data);
        trainer.Train();
        return model;
    }
}
