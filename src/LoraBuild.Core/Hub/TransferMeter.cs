using System.Diagnostics;

namespace LoraBuild.Core.Hub;

/// <summary>Turns byte counts into throttled <see cref="HubDownloadProgress"/> reports with a rate and an ETA.</summary>
internal sealed class TransferMeter(HubModelReference model, string file, long? total, TimeSpan interval, IProgress<HubDownloadProgress>? progress)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _startBytes = -1;
    private TimeSpan _lastReport = TimeSpan.MinValue;

    /// <summary>Reports <paramref name="bytesOnDisk"/> when the interval has passed since the last report.</summary>
    public void Advance(long bytesOnDisk, bool force = false)
    {
        if (_startBytes < 0)
        {
            _startBytes = bytesOnDisk;
        }

        var now = _clock.Elapsed;
        if (progress is null || (!force && now - _lastReport < interval))
        {
            return;
        }

        _lastReport = now;
        var rate = now.TotalSeconds > 0 ? (bytesOnDisk - _startBytes) / now.TotalSeconds : 0;
        TimeSpan? remaining = total is { } size && rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, size - bytesOnDisk) / rate) : null;
        progress.Report(new HubDownloadProgress(model.ToString(), file, bytesOnDisk, total, rate, remaining, Completed: false));
    }

    /// <summary>Reports the file as downloaded and verified.</summary>
    public void Complete(long bytes)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        progress?.Report(new HubDownloadProgress(model.ToString(), file, bytes, bytes, seconds > 0 ? (bytes - Math.Max(0, _startBytes)) / seconds : 0, TimeSpan.Zero, Completed: true));
    }
}
