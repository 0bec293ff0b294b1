using System.Globalization;
using LoraBuild.Core.Progress;

namespace LoraBuild.Core.Hub;

/// <summary>How far one file's download has come.</summary>
/// <param name="Repository">The model, <c>hf://org/name@revision</c>.</param>
/// <param name="File">The file's path in the repository.</param>
/// <param name="BytesDownloaded">Bytes on disk so far, a resumed part included.</param>
/// <param name="TotalBytes">The file's size, when the Hub announced it.</param>
/// <param name="BytesPerSecond">The rate of this transfer so far.</param>
/// <param name="Remaining">The estimated time left, when the size and a rate are known.</param>
/// <param name="Completed">The file is downloaded and verified.</param>
public sealed record HubDownloadProgress(
    string Repository,
    string File,
    long BytesDownloaded,
    long? TotalBytes,
    double BytesPerSecond,
    TimeSpan? Remaining,
    bool Completed)
{
    /// <summary>One line, e.g. <c>model.safetensors  6.5 MiB of 13.3 MiB  12.1 MiB/s  ETA 0:01</c>.</summary>
    /// <param name="withRemaining">Whether to end with the ETA (false where a progress display shows it in its own column).</param>
    public string Describe(bool withRemaining = true)
    {
        var rate = Size((long)BytesPerSecond) + "/s";
        if (Completed)
        {
            return $"{File}  {Size(BytesDownloaded)}  verified  {rate}";
        }

        var size = TotalBytes is { } total ? $"{Size(BytesDownloaded)} of {Size(total)}" : Size(BytesDownloaded);
        var eta = withRemaining && Remaining is { } left ? $"  ETA {Durations.Clock(left)}" : string.Empty;
        return $"{File}  {size}  {rate}{eta}";
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
    };
}
