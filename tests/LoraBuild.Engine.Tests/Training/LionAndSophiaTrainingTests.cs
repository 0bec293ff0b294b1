using LoraBuild.Core.Adapters;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

/// <summary>Lion and Sophia-G inside the trainer: they learn, Sophia's Hessian estimate runs when it should, and runs repeat.</summary>
public class LionAndSophiaTrainingTests
{
    [Theory]
    [InlineData(Optimizers.Lion, TrainingModes.Full, 1)]
    [InlineData(Optimizers.Sophia, TrainingModes.Full, 1)]
    [InlineData(Optimizers.Lion, TrainingModes.Lora, 2)]
    [InlineData(Optimizers.Sophia, TrainingModes.Lora, 2)]
    public void AMicroModelLearns(string optimizer, string mode, int accumulation)
    {
        var examples = TrainingTestData.FourExamples();
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 3);
        if (mode == TrainingModes.Lora)
        {
            AddAdapters(model);
        }

        var data = new FixedBatches(TrainingTestData.Batch(examples[0], examples[1]), TrainingTestData.Batch(examples[2], examples[3]));
        var spec = TrainingTestData.Spec(optimizer, learningRate: 3e-3, maxSteps: 40) with
        {
            Mode = mode,
            GradientAccumulationSteps = accumulation,
            HessianUpdateInterval = 2,
        };
        using var trainer = new Trainer(model, spec, data);

        var metrics = trainer.Train();

        Assert.Equal(optimizer, trainer.State.Optimizer.Kind);
        Assert.True(metrics.LossFinal < 0.6 * metrics.LossFirst, $"loss {metrics.LossFirst} → {metrics.LossFinal}");
        if (trainer.State.Optimizer is SophiaOptimizer sophia)
        {
            Assert.Equal(metrics.Steps / 2, sophia.HessianUpdates);
            Assert.All(sophia.Parameters, parameter => Assert.True(Minimum(parameter.State[SophiaOptimizer.Hessian]) >= 0, parameter.Name));
        }
    }

    [Fact]
    public void TheHessianIsEstimatedAfterEveryKthStepOnlyAndIsNeverNegative()
    {
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 4);
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        var spec = TrainingTestData.Spec(Optimizers.Sophia, learningRate: 1e-3, maxSteps: 7) with { HessianUpdateInterval = 3 };
        using var trainer = new Trainer(model, spec, data);
        var sophia = Assert.IsType<SophiaOptimizer>(trainer.State.Optimizer);
        var hessians = new List<Tensor>();
        var gradientsLeft = new List<int>();

        trainer.Train(_ =>
        {
            hessians.Add(cat([.. sophia.Parameters.Select(parameter => parameter.State[SophiaOptimizer.Hessian].flatten())]).DetachFromDisposeScope());
            gradientsLeft.Add(sophia.Parameters.Count(parameter => parameter.Parameter.grad is not null));
        });

        Assert.Equal(7, hessians.Count);
        Assert.Equal(2, sophia.HessianUpdates);
        Assert.All(gradientsLeft, count => Assert.Equal(0, count));
        Assert.All(hessians, hessian => Assert.True(Minimum(hessian) >= 0));
        Assert.Equal(0, Maximum(hessians[0]));
        Assert.Equal(0, Maximum(hessians[1]));
        Assert.True(Maximum(hessians[2]) > 0);
        Assert.True(TrainingTestData.BitwiseEqual(hessians[2], hessians[3]));
        Assert.True(TrainingTestData.BitwiseEqual(hessians[2], hessians[4]));
        Assert.False(TrainingTestData.BitwiseEqual(hessians[4], hessians[5]));
        Assert.True(TrainingTestData.BitwiseEqual(hessians[5], hessians[6]));
    }

    [Fact]
    public void TheEstimatesGradientsNeverReachAStep()
    {
        // With β₁ = 0 the momentum after a step is that step's gradient. Both runs take the same first step (no Hessian
        // yet), so their second gradients are equal; one run has estimated the Hessian in between. Had the estimate's
        // gradients stayed, they would have been added to its second gradient.
        var spec = TrainingTestData.Spec(Optimizers.Sophia, learningRate: 1e-3, maxSteps: 2) with { Beta1 = 0 };
        var (estimated, estimatedHessian) = MomentumAndHessianAfterTwoSteps(spec with { HessianUpdateInterval = 1 });
        var (notEstimated, notEstimatedHessian) = MomentumAndHessianAfterTwoSteps(spec with { HessianUpdateInterval = 100 });

        Assert.True(Maximum(estimatedHessian) > 0);
        Assert.Equal(0, Maximum(notEstimatedHessian));
        Assert.True(TrainingTestData.BitwiseEqual(notEstimated, estimated));
    }

    [Theory]
    [InlineData(Optimizers.Lion)]
    [InlineData(Optimizers.Sophia)]
    public void TheSameSeedGivesBitwiseIdenticalWeights(string optimizer)
    {
        using var first = Train(optimizer, seed: 7);
        using var second = Train(optimizer, seed: 7);

        TrainingTestData.AssertBitwiseEqual(first, second);
    }

    [Fact]
    public void TheSeedDrivesSophiasSampledLabels()
    {
        // Full fine-tuning without dropout on fixed batches: the seed reaches the weights only through the labels the
        // Hessian estimate samples.
        using var first = Train(Optimizers.Sophia, seed: 7);
        using var otherSeed = Train(Optimizers.Sophia, seed: 8);
        using var lion = Train(Optimizers.Lion, seed: 7);
        using var lionOtherSeed = Train(Optimizers.Lion, seed: 8);

        Assert.Throws<Xunit.Sdk.TrueException>(() => TrainingTestData.AssertBitwiseEqual(first, otherSeed));
        TrainingTestData.AssertBitwiseEqual(lion, lionOtherSeed);
    }

    [Fact]
    public void OnlySophiaGetsALabelGenerator()
    {
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        using var model = MicroModels.Create(MicroModels.Llama());
        using var sophia = new Trainer(model, TrainingTestData.Spec(Optimizers.Sophia), data);
        using var other = MicroModels.Create(MicroModels.Llama());
        using var lion = new Trainer(other, TrainingTestData.Spec(Optimizers.Lion), data);

        Assert.NotNull(sophia.State.LabelGenerator);
        Assert.Null(lion.State.LabelGenerator);
        Assert.Equal(2 * sophia.State.Parameters.Count, sophia.State.Optimizer.StateTensorCount);
        Assert.Equal(lion.State.Parameters.Count, lion.State.Optimizer.StateTensorCount);
    }

    private static (Tensor Momentum, Tensor Hessian) MomentumAndHessianAfterTwoSteps(TrainingSpec spec)
    {
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 6);
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        using var trainer = new Trainer(model, spec, data);
        trainer.Train();
        var parameters = trainer.State.Optimizer.Parameters;
        return (
            cat([.. parameters.Select(parameter => parameter.State[SophiaOptimizer.ExpAvg].flatten())]).DetachFromDisposeScope(),
            cat([.. parameters.Select(parameter => parameter.State[SophiaOptimizer.Hessian].flatten())]).DetachFromDisposeScope());
    }

    private static CausalLanguageModel Train(string optimizer, int seed)
    {
        var model = MicroModels.Create(MicroModels.Llama(), seed: 1);
        var data = new FixedBatches(TrainingTestData.Batch(TrainingTestData.FourExamples()));
        var spec = TrainingTestData.Spec(optimizer, learningRate: 1e-3, maxSteps: 4) with { Seed = seed, HessianUpdateInterval = 1 };
        using var trainer = new Trainer(model, spec, data);
        trainer.Train();
        return model;
    }

    private static void AddAdapters(CausalLanguageModel model)
    {
        using var init = new Generator(11, CPU);
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Dropout = 0.1, Targets = AdapterTargets.ParseSpec("all-linear") };
        LoraInjector.Apply(model, settings, init, dropoutGenerator: null);
    }

    private static double Minimum(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.min().item<float>();
    }

    private static double Maximum(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.max().item<float>();
    }
}
