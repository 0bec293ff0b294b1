using System.Diagnostics;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Training;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Training;
using TorchSharp;

namespace LoraBuild.Engine.Resumption;

/// <summary>
/// One run's checkpointing: continue from the newest usable checkpoint of the same fingerprint, save one whenever the
/// settings say so, and clear them all once the output is in place.
/// </summary>
internal sealed class RunCheckpoints
{
    /// <summary>Checkpoints kept: the newest, and one before it in case the newest is damaged.</summary>
    private const int Kept = 2;

    private readonly CheckpointFolder _folder;
    private readonly CheckpointSettings _settings;
    private readonly string _fingerprint;
    private readonly torch.Generator? _globalGenerator;
    private readonly ITrainingJobObserver _observer;
    private readonly Stopwatch _sinceLast = new();
    private int _lastSaved;

    public RunCheckpoints(string outputDirectory, CheckpointSettings settings, string fingerprint, torch.Generator? globalGenerator, ITrainingJobObserver observer)
    {
        _folder = new CheckpointFolder(outputDirectory);
        _settings = settings.Validated();
        _fingerprint = fingerprint;
        _globalGenerator = globalGenerator;
        _observer = observer;
    }

    /// <summary>
    /// With resume on, puts the newest usable checkpoint into <paramref name="state"/> (warning about each one skipped);
    /// with resume off, deletes every checkpoint so the run starts over.
    /// </summary>
    /// <returns>The steps restored; 0 when the run starts from the beginning.</returns>
    public int Resume(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!_settings.Resume)
        {
            _folder.Delete();
            return 0;
        }

        _folder.RemoveTemporaryFiles();
        foreach (var file in _folder.List())
        {
            var result = TrainingCheckpoint.Restore(file, state, _fingerprint, _globalGenerator);
            if (result.IsRestored)
            {
                _observer.Stage($"Resuming from the checkpoint at step {result.Step} of {state.Plan.TotalSteps} ({Path.GetFileName(file.Path)})");
                _lastSaved = result.Step;
                return result.Step;
            }

            if (result.ForeignFingerprint is { } other)
            {
                _observer.Warning(
                    ResumeWarningCodes.CheckpointForeign,
                    $"The checkpoint {Path.GetFileName(file.Path)} belongs to another run (fingerprint {Short(other)}, this run {Short(_fingerprint)}) and is not used.",
                    file.Path);
            }
            else
            {
                _observer.Warning(
                    ResumeWarningCodes.CheckpointUnusable,
                    $"The checkpoint {Path.GetFileName(file.Path)} cannot be used: {result.Problem}. An earlier checkpoint or the start is used instead.",
                    file.Path);
            }
        }

        return 0;
    }

    /// <summary>Starts the clock the minute interval is measured on (training time only, not loading or evaluation).</summary>
    public void StartClock() => _sinceLast.Restart();

    /// <summary>Saves <paramref name="state"/> when a checkpoint is due after its last step.</summary>
    public void AfterStep(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!_settings.IsDue(state.OptimizerStep, state.Plan.TotalSteps, _sinceLast.Elapsed))
        {
            return;
        }

        Save(state);
        _sinceLast.Restart();
    }

    /// <summary>
    /// The run was cancelled between two steps: where checkpoints are written at all, saves one at the step reached, so
    /// that stopping a run with Ctrl+C loses no finished step.
    /// </summary>
    public void Cancelled(TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!_settings.Writes || state.OptimizerStep <= _lastSaved || state.OptimizerStep >= state.Plan.TotalSteps)
        {
            return;
        }

        Save(state);
    }

    /// <summary>Removes every checkpoint: the output they led to is in place.</summary>
    public void Clear() => _folder.Delete();

    private void Save(TrainingState state)
    {
        try
        {
            var temporary = _folder.NewTemporaryPath();
            TrainingCheckpoint.Write(temporary, state, _fingerprint, _globalGenerator);
            var file = _folder.Publish(temporary, state.OptimizerStep);
            _lastSaved = state.OptimizerStep;
            _folder.Prune(Kept);
            _observer.CheckpointSaved(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LoraException)
        {
            _folder.Prune(Kept);
            _observer.Warning(
                ResumeWarningCodes.CheckpointNotWritten,
                $"The checkpoint after step {state.OptimizerStep} could not be written ({e.Message}); training goes on, and a later checkpoint is tried.",
                _folder.FullPath);
        }
    }

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] : fingerprint;
}
