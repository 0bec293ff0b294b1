using System.Collections.Concurrent;
using System.Globalization;
using LoraBuild.Core.Progress;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace LoraBuild.Cli.Progress;

/// <summary>
/// The one time column of the progress display: the share done and the time left while a stage's size is known, the
/// time it has been running while it is not, and how long it took once it finished. The time left is the engine's own
/// estimate, handed in by <see cref="SetRemaining"/>, so a line never shows two ETAs.
/// </summary>
internal sealed class StageStatusColumn : ProgressColumn
{
    private readonly ConcurrentDictionary<int, TimeSpan?> _remaining = new();

    protected override bool NoWrap => true;

    public void SetRemaining(ProgressTask task, TimeSpan? remaining) => _remaining[task.Id] = remaining;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) => new Markup(Describe(task));

    public override int? GetColumnWidth(RenderOptions options) => 18;

    private string Describe(ProgressTask task)
    {
        var elapsed = task.ElapsedTime ?? TimeSpan.Zero;
        if (task.IsFinished)
        {
            return $"[grey]took {Durations.Clock(elapsed)}[/]";
        }

        if (task.IsIndeterminate)
        {
            return Durations.Clock(elapsed);
        }

        var percent = string.Create(CultureInfo.InvariantCulture, $"{task.Percentage,3:0}%");
        return _remaining.TryGetValue(task.Id, out var left) && left is { } time
            ? $"{percent}  ETA {Durations.Clock(time)}"
            : percent;
    }
}
