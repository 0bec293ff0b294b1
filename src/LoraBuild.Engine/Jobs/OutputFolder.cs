using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Jobs;

/// <summary>
/// Produces a folder all at once: its content is written into a hidden sibling, and only a complete result
/// replaces the old folder (which is moved aside first and deleted last, so it survives any failure before that).
/// Files of the old folder that the new result does not write — a README or model card the user keeps there — are
/// carried over; old weights (<c>*.safetensors</c> and their shard index), old evaluation outputs, history, report and charts are
/// not, so stale shards never mix with new weights and a run without eval data leaves no outputs of an earlier run behind.
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
                CarryOverUserFiles(target, staging);
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

    private static void CarryOverUserFiles(string target, string staging)
    {
        foreach (var file in Directory.EnumerateFiles(target, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(target, file);
            var destination = Path.Combine(staging, relative);
            if (IsEngineOutput(relative) || File.Exists(destination) || Directory.Exists(destination))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private static bool IsEngineOutput(string relativePath) =>
        Core.Packaging.AdapterPackageLayout.ReportFiles.Contains(relativePath, StringComparer.Ordinal)
        || relativePath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
        || relativePath.EndsWith(".safetensors.index.json", StringComparison.OrdinalIgnoreCase);

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
