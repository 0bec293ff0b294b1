namespace LoraBuild.Core.Adapters;

/// <summary>
/// The folders that an adapter's recorded relative paths (its base model, its eval data) may be relative to, since the
/// folder it was trained from is not recorded (a manifest holds no machine's paths): the adapter's folder and each one
/// above it (a build writes adapters below its project), the current folder, and the folders one and two levels below
/// the current folder (a spec in <c>examples/X/</c> trained from the repository root into <c>out/X</c>), at most 64
/// of each folder's children, hidden ones skipped. Callers check a candidate by the hashes the manifest recorded.
/// </summary>
public static class ProjectFolderCandidates
{
    private const int ChildrenPerFolder = 64;

    public static IEnumerable<string> Of(string adapterDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in Candidates(Path.GetFullPath(adapterDirectory)))
        {
            if (seen.Add(folder))
            {
                yield return folder;
            }
        }
    }

    private static IEnumerable<string> Candidates(string adapter)
    {
        for (var folder = adapter; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            yield return folder;
        }

        var current = Directory.GetCurrentDirectory();
        yield return current;
        var level = new List<string> { current };
        for (var depth = 1; depth <= 2; depth++)
        {
            level = [.. level.SelectMany(Children)];
            foreach (var folder in level)
            {
                yield return folder;
            }
        }
    }

    private static IEnumerable<string> Children(string folder)
    {
        try
        {
            return [.. Directory.EnumerateDirectories(folder)
                .Where(child => !Path.GetFileName(child).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .Take(ChildrenPerFolder)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
