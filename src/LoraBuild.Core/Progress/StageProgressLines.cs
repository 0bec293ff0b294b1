using System.Diagnostics;
using System.Globalization;

namespace LoraBuild.Core.Progress;

/// <summary>
/// Which progress reports of a stage become log lines: one at every tenth of the work once the stage has taken more
/// than a second, each with the share done and the time left, so a two-minute evaluation shows it is moving and a
/// quick one prints nothing extra.
/// </summary>
public sealed class StageProgressLines
{
    private static readonly TimeSpan s_quietFor = TimeSpan.FromSeconds(1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _lastTenth;

    /// <summary>A new stage began: its clock starts, and no tenth has been printed yet.</summary>
    public void Restart()
    {
        _clock.Restart();
        _lastTenth = 0;
    }

    /// <returns>The line to print, or null.</returns>
    public string? Line(WorkProgress progress)
    {
        var tenth = (int)(progress.Fraction * 10);
        if (tenth <= _lastTenth || _clock.Elapsed < s_quietFor)
        {
            return null;
        }

        _lastTenth = tenth;
        var remaining = progress.Remaining(_clock.Elapsed);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{progress.Fraction * 100:0}%{(remaining is { } left && progress.Done < progress.Total ? $"  ETA {Durations.Clock(left)}" : string.Empty)}");
    }
}
