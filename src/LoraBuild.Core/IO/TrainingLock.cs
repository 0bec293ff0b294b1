namespace LoraBuild.Tasks.Engine;

/// <summary>
/// One training at a time on this machine: an exclusive lock on a file in the user cache folder, held while the
/// engine runs. A second build (another project, a <c>-m</c> node, another checkout) waits for it, because two
/// trainings side by side would each take all cores and both run slower than one after the other. The operating
/// system drops the lock when its holder dies, so a killed build never leaves a stale lock behind.
/// </summary>
internal sealed class TrainingLock : IDisposable
{
    private readonly FileStream _stream;

    private TrainingLock(FileStream stream) => _stream = stream;

    /// <param name="path">The lock file; created when missing, never deleted.</param>
    /// <param name="waiting">Called once if the lock is held elsewhere, before waiting.</param>
    /// <param name="cancelled">Signalled when the build is cancelled; stops waiting.</param>
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
                    throw new OperationCanceledException("The build was cancelled while waiting for the training lock.");
                }
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
