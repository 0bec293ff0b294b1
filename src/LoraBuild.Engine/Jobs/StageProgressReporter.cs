using LoraBuild.Core.Progress;

namespace LoraBuild.Engine.Jobs;

/// <summary>Passes a stage's progress to the job's observer (<see cref="ITrainingJobObserver.StageProgress"/>).</summary>
internal sealed class StageProgressReporter(ITrainingJobObserver observer) : IProgress<WorkProgress>
{
    public void Report(WorkProgress value) => observer.StageProgress(value);
}
