using System.Diagnostics;
using LoraBuild.Core.Hub;

namespace LoraBuild.Cli.Progress;

/// <summary>Which download reports become log lines: every finished file, and a long download's progress every few seconds.</summary>
internal sealed class DownloadLineThrottle
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, TimeSpan> _last = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public bool ShouldPrint(HubDownloadProgress progress)
    {
        var now = _clock.Elapsed;
        if (progress.Completed)
        {
            _last.Remove(progress.File);
            return true;
        }

        if (!_last.TryGetValue(progress.File, out var last))
        {
            _last[progress.File] = now;
            return false;
        }

        if (now - last < s_interval)
        {
            return false;
        }

        _last[progress.File] = now;
        return true;
    }
}
