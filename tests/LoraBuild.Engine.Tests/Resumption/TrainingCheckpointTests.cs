using LoraBuild.Core.Adapters;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Tests.Training;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Resumption;

/// <summary>A training state saved and put back into a new trainer continues the run bit for bit; a bad checkpoint changes nothing.</summary>
public sealed class TrainingCheckpointTests : IDisposable
{
    private const string Fingerprint = "f00d";
    private readonly CheckpointFolder _folder = new(Path.Combine(Path.GetTempPath(), "lorabuild-ckpt-" + Guid.NewGuid().ToString("N"), "out"));

    [Theory]
    [InlineData(Optimizers.AdamW, TrainingModes.Lora, 1, 3)]
    [InlineData(Optimizers.AdamW, TrainingModes.Lora, 2, 2)]
    [InlineData(Optimizers.Sophia, TrainingModes.Lora, 1, 3)]
    [InlineData(Optimizers.Lion, TrainingModes.Lora, 1, 4)]
    [InlineData(Optimizers.Sgd, TrainingModes.Full, 1, 3)]
    public void ARunContinuedFromACheckpointEndsBitwiseLikeAnUninterruptedOne(string optimizer, string mode, int accumulation, int stopAfter)
    {
        var spec = Spec(optimizer, mode, accumulation);
        using var expected = Model(mode);
        using var uninterrupted = new Trainer(expected, spec, Data());
        uninterrupted.Train();

        var file = CheckpointAfter(spec, mode, stopAfter);
        using var resumed = Model(mode);
        using var trainer = new Trainer(resumed, spec, Data());
        var result = TrainingCheckpoint.Restore(file, trainer.State, Fingerprint, globalGenerator: null);

        Assert.True(result.IsRestored, result.Problem);
        Assert.Equal(stopAfter, result.Step);
        Assert.Equal(stopAfter, trainer.State.History.Steps.Count);
        trainer.Train();
        TrainingTestData.AssertBitwiseEqual(expected, resumed);
        Assert.Equal(uninterrupted.State.History.Steps.Select(step => step.Loss), trainer.State.History.Steps.Select(step => step.Loss));
        Assert.Equal(uninterrupted.State.Optimizer.StepCount, trainer.State.Optimizer.StepCount);
        if (uninterrupted.State.Optimizer is SophiaOptimizer sophia)
        {
            Assert.Equal(sophia.HessianUpdates, Assert.IsType<SophiaOptimizer>(trainer.State.Optimizer).HessianUpdates);
        }
    }

    [Fact]
    public void AChangedByteMakesTheCheckpointUnusableAndChangesNothing()
    {
        var spec = Spec(Optimizers.AdamW, TrainingModes.Lora, 1);
        var file = CheckpointAfter(spec, TrainingModes.Lora, 2);
        var bytes = File.ReadAllBytes(file.Path);
        bytes[bytes.Length - 5] ^= 0x10;
        File.WriteAllBytes(file.Path, bytes);

        using var model = Model(TrainingModes.Lora);
        using var trainer = new Trainer(model, spec, Data());
        var before = TrainingTestData.Snapshot(model);
        var result = TrainingCheckpoint.Restore(file, trainer.State, Fingerprint, globalGenerator: null);

        Assert.False(result.IsRestored);
        Assert.Contains("bytes", result.Problem, StringComparison.Ordinal);
        Assert.Equal(0, TrainingTestData.UpdateNorm(before, model));
        Assert.Equal(0, trainer.State.OptimizerStep);
    }

    [Fact]
    public void ACheckpointOfAnotherFingerprintIsForeign()
    {
        var spec = Spec(Optimizers.AdamW, TrainingModes.Lora, 1);
        var file = CheckpointAfter(spec, TrainingModes.Lora, 2);
        using var model = Model(TrainingModes.Lora);
        using var trainer = new Trainer(model, spec, Data());

        var result = TrainingCheckpoint.Restore(file, trainer.State, "another", globalGenerator: null);

        Assert.False(result.IsRestored);
        Assert.Equal(Fingerprint, result.ForeignFingerprint);
        Assert.Equal(0, trainer.State.OptimizerStep);
    }

    [Fact]
    public void AnIntactCheckpointThatDoesNotFitTheRunIsUnusableAndChangesNothing()
    {
        var spec = Spec(Optimizers.AdamW, TrainingModes.Lora, 1);
        var file = CheckpointAfter(spec, TrainingModes.Lora, 2);
        using var otherRank = Model(TrainingModes.Lora, rank: 2);
        using var trainer = new Trainer(otherRank, spec, Data());
        var before = TrainingTestData.Snapshot(otherRank);

        var shapes = TrainingCheckpoint.Restore(file, trainer.State, Fingerprint, globalGenerator: null);
        using var lionModel = Model(TrainingModes.Lora);
        using var lion = new Trainer(lionModel, Spec(Optimizers.Lion, TrainingModes.Lora, 1), Data());
        var optimizer = TrainingCheckpoint.Restore(file, lion.State, Fingerprint, globalGenerator: null);

        Assert.False(shapes.IsRestored);
        Assert.Contains("shape", shapes.Problem, StringComparison.Ordinal);
        Assert.Equal(0, TrainingTestData.UpdateNorm(before, otherRank));
        Assert.False(optimizer.IsRestored);
        Assert.Contains("adamw", optimizer.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TheGlobalGeneratorIsSavedAndPutBack()
    {
        var spec = Spec(Optimizers.AdamW, TrainingModes.Lora, 1);
        using var model = Model(TrainingModes.Lora);
        using var trainer = new Trainer(model, spec, Data());
        using var global = new Generator(99, CPU);
        using var expected = global.get_state();
        var temporary = _folder.NewTemporaryPath();
        TrainingCheckpoint.Write(temporary, trainer.State, Fingerprint, global);
        var file = _folder.Publish(temporary, 0);
        using (var drawn = rand(10, generator: global))
        {
        }

        Assert.True(TrainingCheckpoint.Restore(file, trainer.State, Fingerprint, global).IsRestored);
        using var restored = global.get_state();
        Assert.True(TrainingTestData.BitwiseEqual(expected, restored));
        Assert.False(TrainingCheckpoint.Restore(file, trainer.State, Fingerprint, globalGenerator: null).IsRestored);
    }

    public void Dispose()
    {
        var root = Path.GetDirectoryName(_folder.FullPath)!;
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Trains a fresh run for <paramref name="steps"/> steps and checkpoints it.</summary>
    private CheckpointFile CheckpointAfter(TrainingSpec spec, string mode, int steps)
    {
        using var model = Model(mode);
        using var trainer = new Trainer(model, spec, Data());
        using var stop = new CancellationTokenSource();
        Assert.Throws<OperationCanceledException>(() => trainer.Train(
            progress =>
            {
                if (progress.Step == steps)
                {
                    stop.Cancel();
                }
            },
            stop.Token));
        var temporary = _folder.NewTemporaryPath();
        TrainingCheckpoint.Write(temporary, trainer.State, Fingerprint, globalGenerator: null);
        return _folder.Publish(temporary, trainer.State.OptimizerStep);
    }

    private static TrainingSpec Spec(string optimizer, string mode, int accumulation) =>
        TrainingTestData.Spec(optimizer, learningRate: 3e-3, maxSteps: 7) with
        {
            Mode = mode,
            Epochs = 10,
            GradientAccumulationSteps = accumulation,
            HessianUpdateInterval = 2,
            WeightDecay = 0.01,
            Momentum = 0.9,
        };

    private static CausalLanguageModel Model(string mode, int rank = 4)
    {
        var model = MicroModels.Create(MicroModels.Llama(), seed: 3);
        if (mode == TrainingModes.Lora)
        {
            using var init = new Generator(11, CPU);
            var settings = new LoraSettings { Rank = rank, Alpha = 8, Dropout = 0.1, Targets = AdapterTargets.ParseSpec("all-linear") };
            LoraInjector.Apply(model, settings, init, dropoutGenerator: null);
        }

        return model;
    }

    private static ExampleBatches Data() =>
        ExampleBatches.Shuffled(TrainingTestData.FourExamples(), batchSize: 2, seed: 11, TrainingTestData.PadId);
}
