using LoraBuild.Core.Hub;
using LoraBuild.Core.Progress;
using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Jobs;

/// <summary>What a training job reports while it runs: stages, steps and warnings.</summary>
public interface ITrainingJobObserver
{
    /// <summary>A new stage began (loading, evaluating, training, writing).</summary>
    void Stage(string description);

    /// <summary>An optimizer step finished.</summary>
    void StepCompleted(TrainingProgress progress);

    /// <summary>Something the user should know that does not stop the job.</summary>
    void Warning(string code, string message, string? location);

    /// <summary>A base model file is being downloaded from the Hub (bytes, rate, ETA); reported a few times a second per file.</summary>
    void Download(HubDownloadProgress progress)
    {
    }

    /// <summary>The current stage moved on: samples answered, batches scored or bytes hashed, of how many.</summary>
    void StageProgress(WorkProgress progress)
    {
    }

    /// <summary>A checkpoint of the whole training state was saved; a killed run continues from it.</summary>
    void CheckpointSaved(CheckpointFile checkpoint)
    {
    }
}
