using LoraBuild.Core.Hub;
using LoraBuild.Core.Progress;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Resumption;
using LoraBuild.Cli.Commands;
using LoraBuild.Engine.Training;

namespace LoraBuild.Cli.Progress;

/// <summary>
/// Output for the build (<c>train --log-format msbuild</c>): one plain line per stage, its progress by tenths, about twenty step lines,
/// each starting with the adapter's name, and warnings in MSBuild's canonical form so they become build warnings.
/// </summary>
internal sealed class MsBuildProgressObserver(string adapterName, string? sourceLocation) : ITrainingJobObserver
{
    private readonly DownloadLineThrottle _downloadLines = new();
    private readonly StageProgressLines _stageLines = new();

    public void Stage(string description)
    {
        _stageLines.Restart();
        Console.WriteLine($"{adapterName}: {description} …");
    }

    public void StageProgress(WorkProgress progress)
    {
        if (_stageLines.Line(progress) is { } line)
        {
            Console.WriteLine($"{adapterName}:   {line}");
        }
    }

    public void StepCompleted(TrainingProgress progress)
    {
        var every = Math.Max(1, progress.TotalSteps / 20);
        if (progress.Step == 1 || progress.Step % every == 0 || progress.Step == progress.TotalSteps)
        {
            Console.WriteLine($"{adapterName}: {TrainCommand.Describe(progress)}");
        }
    }

    public void CheckpointSaved(CheckpointFile checkpoint) => Console.WriteLine($"{adapterName}: {CheckpointLine.Describe(checkpoint)}");

    public void Warning(string code, string message, string? location) =>
        Console.WriteLine(MsBuildFormat.Diagnostic("warning", code, message, location, sourceLocation));

    public void Download(HubDownloadProgress progress)
    {
        if (_downloadLines.ShouldPrint(progress))
        {
            Console.WriteLine($"{adapterName}: {progress.Describe()}");
        }
    }
}
