using LoraBuild.Cli.Commands;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Progress;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Training;
using Spectre.Console;

namespace LoraBuild.Cli.Progress;

/// <summary>
/// A live display for a terminal: one line per stage, which fills as the stage reports its progress and shows how long
/// it took once the next one starts; the training line shows step, loss, lr and tokens/s; every download has its own line.
/// </summary>
internal sealed class BarProgressObserver(IAnsiConsole console, ProgressContext context, StageStatusColumn status) : ITrainingJobObserver
{
    private readonly Dictionary<string, ProgressTask> _downloads = new(StringComparer.Ordinal);
    private ProgressTask? _stage;
    private ProgressTask? _training;

    /// <summary>Runs <paramref name="job"/> under a live display on <paramref name="console"/> with this observer's columns.</summary>
    public static T Show<T>(IAnsiConsole console, Func<ITrainingJobObserver, T> job)
    {
        var status = new StageStatusColumn();
        T result = default!;
        console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), status)
            .Start(context =>
            {
                try
                {
                    var observer = new BarProgressObserver(console, context, status);
                    result = job(observer);
                    observer.FinishCurrent();
                }
                finally
                {
                    context.Refresh(); // a cancelled job ends in an exception, after which Spectre draws nothing more
                }
            });
        return result;
    }

    public void Stage(string description)
    {
        FinishCurrent();
        _stage = context.AddTask(Markup.Escape(description), maxValue: 1);
        _stage.IsIndeterminate = true;
    }

    public void StageProgress(WorkProgress progress)
    {
        if (_stage is null)
        {
            return;
        }

        _stage.IsIndeterminate = false;
        _stage.MaxValue = Math.Max(1, progress.Total);
        _stage.Value = Math.Min(progress.Done, _stage.MaxValue);
        status.SetRemaining(_stage, progress.Remaining(_stage.ElapsedTime ?? TimeSpan.Zero));
    }

    public void StepCompleted(TrainingProgress progress)
    {
        if (_training is null)
        {
            FinishCurrent();
            _training = context.AddTask("training", maxValue: progress.TotalSteps);
        }

        _training.Value = progress.Step;
        _training.Description = Markup.Escape(TrainCommand.Describe(progress, withRemaining: false));
        status.SetRemaining(_training, progress.Remaining);
    }

    public void CheckpointSaved(CheckpointFile checkpoint) =>
        console.MarkupLine($"[grey]{Markup.Escape(CheckpointLine.Describe(checkpoint))}[/]");

    public void Warning(string code, string message, string? location) =>
        console.MarkupLine($"[yellow]{Markup.Escape(location is null ? string.Empty : location + ": ")}warning {code}: {Markup.Escape(message)}[/]");

    public void Download(HubDownloadProgress progress)
    {
        if (!_downloads.TryGetValue(progress.File, out var task))
        {
            FinishCurrent();
            task = context.AddTask(Markup.Escape(progress.File), maxValue: Math.Max(1, progress.TotalBytes ?? 1));
            task.IsIndeterminate = progress.TotalBytes is null;
            _downloads[progress.File] = task;
        }

        task.Value = progress.TotalBytes is null ? 0 : progress.BytesDownloaded;
        task.Description = Markup.Escape(progress.Describe(withRemaining: false));
        status.SetRemaining(task, progress.Remaining);
        if (progress.Completed)
        {
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    /// <summary>The running stage (or the training) is done: its bar full, its clock stopped.</summary>
    private void FinishCurrent()
    {
        foreach (var task in new[] { _stage, _training })
        {
            if (task is { StopTime: null })
            {
                task.IsIndeterminate = false;
                task.Value = task.MaxValue;
                task.StopTask();
            }
        }

        _stage = null;
        _training = null;
    }
}
