using System.Diagnostics;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Hub;

/// <summary>
/// An exclusive lock on a file in the cache's <c>.locks</c> folder. .NET takes <see cref="FileShare.None"/> as an
/// advisory <c>flock</c> on Unix, the same lock Python's <c>filelock</c> takes, so LoraBuild and huggingface_hub
/// processes wait for each other; the OS drops it when its holder dies.
/// </summary>
internal sealed class HubFileLock : IDisposable
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(100);
    private readonly FileStream _stream;

    private HubFileLock(FileStream stream) => _stream = stream;

    public static async Task<HubFileLock> AcquireAsync(string path, TimeSpan timeout, string what, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new HubFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (!HubFailures.IsDiskFull(e))
            {
                if (clock.Elapsed >= timeout)
                {
                    throw new LoraException(
                        HubErrorCodes.LockTimeout,
                        $"Another process has been downloading {what} for longer than {timeout}; if none is, delete {path} and run again.",
                        path,
                        e);
                }

                await Task.Delay(s_poll, cancellation).ConfigureAwait(false);
            }
        }
    }

    // The lock file stays: deleting it would let a waiting process lock a file no one else can see.
    public void Dispose() => _stream.Dispose();
}
