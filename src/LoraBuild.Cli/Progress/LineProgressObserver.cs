using LoraBuild.Cli.Commands;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Progress;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Training;

namespace LoraBuild.Cli.Progress;

/// <summary>Plain lines for logs and redirected output: each stage, its progress by tenths, and about twenty step lines per run.</summary>
internal sealed class LineProgressObserver : ITrainingJobObserver
{
    private readonly DownloadLineThrottle _downloadLines = new();
    private readonly StageProgressLines _stageLines = new();

    public void Stage(string description)
    {
        _stageLines.Restart();
        Console.WriteLine(description + " …");
    }

    public void StageProgress(WorkProgress progress)
    {
        if (_stageLines.Line(progress) is { } line)
        {
            Console.WriteLine("  " + line);
        }
    }

    public void StepCompleted(TrainingProgress progress)
    {
        var every = Math.Max(1, progress.TotalSteps / 20);
        if (progress.Step == 1 || progress.Step % every == 0 || progress.Step == progress.TotalSteps)
        {
            Console.WriteLine("  " + TrainCommand.Describe(progress));
        }
    }

    public void CheckpointSaved(CheckpointFile checkpoint) => Console.WriteLine("  " + CheckpointLine.Describe(checkpoint));

    public void Warning(string code, string message, string? location) =>
        Console.Error.WriteLine($"{(location is null ? string.Empty : location + ": ")}warning {code}: {message}");

    public void Download(HubDownloadProgress progress)
    {
        if (_downloadLines.ShouldPrint(progress))
        {
            Console.WriteLine("  " + progress.Describe());
        }
    }
}
