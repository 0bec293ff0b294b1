namespace LoraBuild.Engine.Training;

/// <summary>Reported after every optimizer step.</summary>
/// <param name="Step">Steps completed, from 1.</param>
/// <param name="TotalSteps">Steps the run will take.</param>
/// <param name="Epoch">The epoch the step's data came from, from 0.</param>
/// <param name="Loss">The step's mean loss over its target tokens.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="GradientNorm">The global gradient norm before clipping.</param>
/// <param name="TokensPerSecond">Real tokens processed per second of training so far.</param>
/// <param name="Elapsed">Training time so far.</param>
/// <param name="Remaining">Estimated time left, at the mean pace of the steps so far.</param>
public sealed record TrainingProgress(
    int Step,
    int TotalSteps,
    int Epoch,
    double Loss,
    double LearningRate,
    double GradientNorm,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan Remaining)
{
    /// <summary>The process's peak resident memory so far (CPU, Linux); null where it cannot be measured.</summary>
    public long? PeakMemoryBytes { get; init; }
}
