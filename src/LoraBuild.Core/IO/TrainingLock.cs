namespace LoraBuild.Core.IO;

/// <summary>
/// One training at a time on this machine: an exclusive lock on a file in the user cache folder, held by the engine
/// while it trains, so <c>dotnet lora train</c> and builds (another project, a <c>-m</c> node, another checkout) take
/// turns: two trainings side by side would each take all cores and both run slower than one after the other. The
/// operating system drops the lock when its holder dies, so a killed training never leaves a stale lock behind.
/// </summary>
public sealed class TrainingLock : IDisposable
{
    /// <summary>The lock every training shares unless told otherwise: <c>training.lock</c> in the LoraBuild user cache folder.</summary>
    public static string DefaultPath => Path.Combine(UserCache.Folder, "training.lock");

    private readonly FileStream _stream;

    private TrainingLock(FileStream stream) => _stream = stream;

    /// <param name="path">The lock file; created when missing, never deleted.</param>
    /// <param name="waiting">Called once if the lock is held elsewhere, before waiting.</param>
    /// <param name="cancelled">Signalled when the training is cancelled; stops waiting.</param>
    public static TrainingLock Acquire(string path, Action waiting, WaitHandle cancelled)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(cancelled);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var told = false;
        while (true)
        {
            try
            {
                return new TrainingLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!told)
                {
                    waiting();
                    told = true;
                }

                if (cancelled.WaitOne(TimeSpan.FromMilliseconds(250)))
                {
                    throw new OperationCanceledException("Cancelled while waiting for the training lock.");
                }
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
