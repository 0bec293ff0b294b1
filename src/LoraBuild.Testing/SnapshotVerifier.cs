using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;
using LoraBuild.Testing.Comparison;

namespace LoraBuild.Testing;

/// <summary>
/// The check every snapshot kind shares: scrub, compare entry by entry with the verified file, then pass (and remove a
/// stale received file), accept (replace the verified file) or fail (write the received file, throw the diff).
/// </summary>
internal static class SnapshotVerifier
{
    public static void Verify<T>(T value, string name, ISnapshotFormat<T> format, SnapshotOptions? options, string? callerFilePath)
    {
        ArgumentNullException.ThrowIfNull(value);
        options ??= new SnapshotOptions();
        var files = SnapshotFiles.For(name, options.Directory, callerFilePath);
        var received = format.Scrub(value, options);
        var receivedBytes = format.Serialize(received);
        var receivedRecords = format.Records(received);

        if (!File.Exists(files.VerifiedPath))
        {
            if (options.AcceptsReceived)
            {
                Accept(files, receivedBytes);
                return;
            }

            AtomicFile.WriteAllBytes(files.ReceivedPath, receivedBytes);
            throw new SnapshotMismatchException(
                SnapshotDiffFormatter.FormatFirstRun(name, receivedRecords.Count, files.VerifiedPath, files.ReceivedPath),
                files.VerifiedPath,
                files.ReceivedPath,
                receivedRecords.Count);
        }

        IReadOnlyList<SnapshotRecord> verifiedRecords;
        try
        {
            // The verified file is scrubbed too, so adding a scrubber or an ignored key does not need it rewritten first.
            verifiedRecords = format.Records(format.Scrub(format.Read(files.VerifiedPath), options));
        }
        catch (LoraException) when (options.AcceptsReceived)
        {
            // Accepting replaces the file whatever it held, a layout this version cannot read included.
            Accept(files, receivedBytes);
            return;
        }

        var differences = SnapshotComparer.Compare(verifiedRecords, receivedRecords, options, files.VerifiedPath);
        if (differences.Count == 0)
        {
            DeleteIfPresent(files.ReceivedPath);
            return;
        }

        if (options.AcceptsReceived)
        {
            Accept(files, receivedBytes);
            return;
        }

        AtomicFile.WriteAllBytes(files.ReceivedPath, receivedBytes);
        var entryCount = verifiedRecords.Select(r => r.Id).Union(receivedRecords.Select(r => r.Id), StringComparer.Ordinal).Count();
        throw new SnapshotMismatchException(
            SnapshotDiffFormatter.Format(name, differences, entryCount, options.MaxShownDifferences, files.VerifiedPath, files.ReceivedPath),
            files.VerifiedPath,
            files.ReceivedPath,
            differences.Count);
    }

    private static void Accept(SnapshotFiles files, byte[] receivedBytes)
    {
        AtomicFile.WriteAllBytes(files.VerifiedPath, receivedBytes);
        DeleteIfPresent(files.ReceivedPath);
    }

    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}
