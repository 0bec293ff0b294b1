namespace LoraBuild.Fuzz;

/// <summary>Reads seed files from the repository, and from this project's <c>Seeds/</c> folder.</summary>
internal sealed class SeedFiles(string repositoryRoot)
{
    public string Root { get; } = repositoryRoot;

    /// <summary>The file's bytes, or null when the repository does not have it (optional seeds, such as npm packages).</summary>
    public byte[]? TryRead(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    public byte[] Read(string relativePath) =>
        TryRead(relativePath) ?? throw new FileNotFoundException($"The seed '{relativePath}' is missing.", Path.Combine(Root, relativePath));

    public byte[] Own(string name) => Read(Path.Combine("build", "Fuzz", "Seeds", name));

    /// <summary>Files matching <paramref name="pattern"/> under a folder that may not exist, in ordinal order.</summary>
    public IEnumerable<byte[]> All(string relativeFolder, string pattern, SearchOption option = SearchOption.TopDirectoryOnly)
    {
        var folder = Path.Combine(Root, relativeFolder);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, pattern, option).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)
            : [];
    }

    public static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LoraBuild.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Run the fuzzer inside the repository (no LoraBuild.sln above the current folder), or pass --repo.");
    }
}
