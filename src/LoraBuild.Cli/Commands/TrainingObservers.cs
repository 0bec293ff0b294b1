using LoraBuild.Core.Hub;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Training;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>A live progress bar: one line per stage, the training line showing step, loss, lr, tokens/s and ETA.</summary>
internal sealed class BarProgressObserver(ProgressContext context) : ITrainingJobObserver
{
    private ProgressTask? _stage;
    private ProgressTask? _training;
    private readonly Dictionary<string, ProgressTask> _downloads = new(StringComparer.Ordinal);

    public void Stage(string description)
    {
        _stage?.StopTask();
        _stage = context.AddTask(Markup.Escape(description), maxValue: 1);
        _stage.IsIndeterminate = true;
    }

    public void StepCompleted(TrainingProgress progress)
    {
        if (_training is null)
        {
            _stage?.StopTask();
            _stage = null;
            _training = context.AddTask("training", maxValue: progress.TotalSteps);
        }

        _training.Value = progress.Step;
        _training.Description = Markup.Escape(TrainCommand.Describe(progress));
    }

    public void CheckpointSaved(CheckpointFile checkpoint) =>
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(CheckpointLine.Describe(checkpoint))}[/]");

    public void Warning(string code, string message, string? location) =>
        AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(location is null ? string.Empty : location + ": ")}warning {code}: {Markup.Escape(message)}[/]");

    public void Download(HubDownloadProgress progress)
    {
        if (!_downloads.TryGetValue(progress.File, out var task))
        {
            _stage?.StopTask();
            _stage = null;
            task = context.AddTask(Markup.Escape(progress.File), maxValue: Math.Max(1, progress.TotalBytes ?? 1));
            _downloads[progress.File] = task;
        }

        task.Value = progress.TotalBytes is null ? 0 : progress.BytesDownloaded;
        task.Description = Markup.Escape(progress.Describe());
        if (progress.Completed)
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}

/// <summary>Plain lines for logs and redirected output: each stage, and about twenty step lines per run.</summary>
internal sealed class LineProgressObserver : ITrainingJobObserver
{
    private readonly DownloadLineThrottle _downloadLines = new();

    public void Stage(string description) => Console.WriteLine(description + " …");

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
