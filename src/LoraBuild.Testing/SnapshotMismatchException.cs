namespace LoraBuild.Testing;

/// <summary>
/// A received snapshot differs from the verified one (or there is no verified one yet). The message lists the
/// differing samples with their sources, expected against received values, and where the received file was written.
/// Test frameworks show it as the test's failure.
/// </summary>
public sealed class SnapshotMismatchException : Exception
{
    /// <summary>Creates the exception with the rendered diff.</summary>
    public SnapshotMismatchException(string message, string verifiedPath, string receivedPath, int differenceCount)
        : base(message)
    {
        VerifiedPath = verifiedPath;
        ReceivedPath = receivedPath;
        DifferenceCount = differenceCount;
    }

    /// <summary>The committed <c>*.verified.json</c> file (which may not exist yet).</summary>
    public string VerifiedPath { get; }

    /// <summary>The <c>*.received.json</c> file written for review.</summary>
    public string ReceivedPath { get; }

    /// <summary>How many entries differ; every received entry when there is no verified file.</summary>
    public int DifferenceCount { get; }
}
