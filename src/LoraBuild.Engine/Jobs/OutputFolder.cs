using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Jobs;

/// <summary>
/// Produces a folder all at once: its content is written into a hidden sibling, and only a complete result
/// replaces the old folder (which is moved aside first and deleted last, so it survives any failure before that).
/// </summary>
internal static class OutputFolder
{
    public static void Replace(string outputDirectory, Action<string> writeInto)
    {
        var target = Path.GetFullPath(outputDirectory);
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.new");
        var previous = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.old");
        Directory.CreateDirectory(staging);
        try
        {
            writeInto(staging);
            if (Directory.Exists(target))
            {
                Directory.Move(target, previous);
            }

            Directory.Move(staging, target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Restore(target, previous);
            throw new LoraException(JobErrorCodes.OutputNotWritable, $"The output folder could not be written: {e.Message}", target, e);
        }
        finally
        {
            DeleteQuietly(staging);
            DeleteQuietly(previous);
        }
    }

    private static void Restore(string target, string previous)
    {
        if (Directory.Exists(previous) && !Directory.Exists(target))
        {
            Directory.Move(previous, target);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover hidden folder is harmless; the result is already in place or the error already raised.
        }
    }
}
