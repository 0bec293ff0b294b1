using LoraBuild.Core.Hub;
using LoraBuild.Core.Training;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Jobs;

/// <summary>How a training run goes about its work; nothing here changes its result.</summary>
public sealed record TrainingRunOptions
{
    public static TrainingRunOptions Default { get; } = new();

    /// <summary>Where the Hub and its cache are, for a base model named by hub id; null reads the process's environment (HF_ENDPOINT, HF_HUB_CACHE, HF_TOKEN, HF_HUB_OFFLINE, …).</summary>
    public HubSettings? Hub { get; init; }

    /// <summary>When to save the training state, and whether to continue from a saved one.</summary>
    public CheckpointSettings Checkpoints { get; init; } = CheckpointSettings.Default;

    /// <summary>
    /// Parts the run is cut into for the history's held-out losses (<see cref="EvalSchedule.InnerSteps"/>); 0 measures
    /// only before and after. The weights do not depend on it: evaluation runs without gradients and draws no random number.
    /// </summary>
    internal int EvalIntervals { get; init; } = EvalSchedule.DefaultIntervals;
}
