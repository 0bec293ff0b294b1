using LoraBuild.Core.Hub;

namespace LoraBuild.Engine.Jobs;

/// <summary>Hands download progress to the job's observer on the reporting thread (<see cref="Progress{T}"/> would post it elsewhere, late).</summary>
internal sealed class ObserverProgress(ITrainingJobObserver observer) : IProgress<HubDownloadProgress>
{
    public void Report(HubDownloadProgress value) => observer.Download(value);
}
