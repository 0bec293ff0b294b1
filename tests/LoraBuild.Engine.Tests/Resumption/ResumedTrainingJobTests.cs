using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Specs;
using LoraBuild.Core.Training;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Tests.Jobs;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Resumption;

/// <summary>
/// A training job stopped after a checkpoint continues from it, and writes the adapter an uninterrupted run writes. A
/// job stopped by cancellation (Ctrl+C) also saves the step it reached.
/// </summary>
public sealed class ResumedTrainingJobTests : IDisposable
{
    private static readonly TrainingRunOptions EveryTwoSteps = TrainingRunOptions.Default with { Checkpoints = new CheckpointSettings { EverySteps = 2, EveryMinutes = 0 } };

    private readonly TinyProject _project = new();

    [Fact]
    public void ACancelledRunSavesTheStepItReachedResumesFromItAndWritesTheSameAdapterBytes()
    {
        var spec = TrainingSpecJson.ReadFile(_project.SpecFile);
        TrainingJob.Run(spec, _project.Output("uninterrupted"), new FileHashCache(null), new RecordingObserver(), EveryTwoSteps, CancellationToken.None);
        var checkpoints = new CheckpointFolder(_project.Output());

        var stopped = StopAfter(spec, 5);
        Assert.Equal([5, 4], checkpoints.List().Select(file => file.Step));
        Assert.Equal([2, 4, 5], stopped.Saved);
        Assert.False(Directory.Exists(_project.Output()));
        var resumed = new RecordingObserver();
        TrainingJob.Run(spec, _project.Output(), new FileHashCache(null), resumed, EveryTwoSteps, CancellationToken.None);

        Assert.Contains(resumed.Stages, stage => stage.StartsWith("Resuming from the checkpoint at step 5 of 6", StringComparison.Ordinal));
        Assert.Equal(1, resumed.Steps);
        Assert.Empty(resumed.Warnings);
        AssertSameAdapter("uninterrupted", "out");
        Assert.False(Directory.Exists(checkpoints.FullPath));
        Assert.False(Directory.Exists(new CheckpointFolder(_project.Output("uninterrupted")).FullPath));
    }

    [Fact]
    public void ADamagedNewestCheckpointIsSkippedWithAWarningForTheOneBefore()
    {
        var spec = TrainingSpecJson.ReadFile(_project.SpecFile);
        TrainingJob.Run(spec, _project.Output("uninterrupted"), new FileHashCache(null), new RecordingObserver(), EveryTwoSteps, CancellationToken.None);
        StopAfter(spec, 5);
        var folder = new CheckpointFolder(_project.Output());
        var newest = folder.List()[0];
        using (var stream = new FileStream(newest.Path, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        File.WriteAllText(Path.Combine(folder.FullPath, ".0123456789abcdef.tmp"), "what a kill during a write leaves");
        var resumed = new RecordingObserver();
        TrainingJob.Run(spec, _project.Output(), new FileHashCache(null), resumed, EveryTwoSteps, CancellationToken.None);

        var warning = Assert.Single(resumed.Warnings);
        Assert.Equal(ResumeWarningCodes.CheckpointUnusable, warning.Code);
        Assert.Equal(newest.Path, warning.Location);
        Assert.Contains(resumed.Stages, stage => stage.StartsWith("Resuming from the checkpoint at step 4 of 6", StringComparison.Ordinal));
        Assert.Equal(2, resumed.Steps);
        AssertSameAdapter("uninterrupted", "out");
    }

    [Fact]
    public void ACheckpointOfOtherInputsIsIgnoredWithAWarningAndTheRunStartsOver()
    {
        var spec = TrainingSpecJson.ReadFile(_project.SpecFile);
        StopAfter(spec with { LearningRate = 0.02 }, 3);
        TrainingJob.Run(spec, _project.Output("uninterrupted"), new FileHashCache(null), new RecordingObserver(), EveryTwoSteps, CancellationToken.None);
        var resumed = new RecordingObserver();
        TrainingJob.Run(spec, _project.Output(), new FileHashCache(null), resumed, EveryTwoSteps, CancellationToken.None);

        // Step 2 (the interval) and step 3 (where the cancelled run stopped), both of another learning rate.
        Assert.Equal([ResumeWarningCodes.CheckpointForeign, ResumeWarningCodes.CheckpointForeign], resumed.Warnings.Select(w => w.Code));
        Assert.DoesNotContain(resumed.Stages, stage => stage.StartsWith("Resuming", StringComparison.Ordinal));
        Assert.Equal(6, resumed.Steps);
        AssertSameAdapter("uninterrupted", "out");
    }

    [Fact]
    public void WithoutResumeTheRunStartsOverAndRemovesTheOldCheckpoints()
    {
        var spec = TrainingSpecJson.ReadFile(_project.SpecFile);
        StopAfter(spec, 3);
        var observer = new RecordingObserver();
        var startOver = TrainingRunOptions.Default with { Checkpoints = new CheckpointSettings { EveryMinutes = 0, Resume = false } };

        TrainingJob.Run(spec, _project.Output(), new FileHashCache(null), observer, startOver, CancellationToken.None);

        Assert.Equal(6, observer.Steps);
        Assert.Empty(observer.Saved);
        Assert.False(Directory.Exists(new CheckpointFolder(_project.Output()).FullPath));
    }

    public void Dispose() => _project.Dispose();

    private RecordingObserver StopAfter(TrainingSpec spec, int steps)
    {
        using var stop = new CancellationTokenSource();
        var observer = new RecordingObserver { OnStep = step => { if (step == steps) { stop.Cancel(); } } };
        Assert.ThrowsAny<OperationCanceledException>(() =>
            TrainingJob.Run(spec, _project.Output(), new FileHashCache(null), observer, EveryTwoSteps, stop.Token));
        return observer;
    }

    private void AssertSameAdapter(string expected, string actual) =>
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(_project.Output(expected), "adapter_model.safetensors")),
            File.ReadAllBytes(Path.Combine(_project.Output(actual), "adapter_model.safetensors")));

    private sealed class RecordingObserver : ITrainingJobObserver
    {
        public int Steps { get; private set; }

        public Action<int>? OnStep { get; init; }

        public List<string> Stages { get; } = [];

        public List<int> Saved { get; } = [];

        public List<(string Code, string Message, string? Location)> Warnings { get; } = [];

        public void Stage(string description) => Stages.Add(description);

        public void StepCompleted(TrainingProgress progress)
        {
            Steps++;
            OnStep?.Invoke(progress.Step);
        }

        public void Warning(string code, string message, string? location) => Warnings.Add((code, message, location));

        public void CheckpointSaved(CheckpointFile checkpoint) => Saved.Add(checkpoint.Step);
    }
}
