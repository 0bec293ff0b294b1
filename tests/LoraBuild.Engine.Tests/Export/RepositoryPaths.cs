namespace LoraBuild.Engine.Tests.Export;

/// <summary>Files of this repository that tests read (found by walking up from the test binaries to LoraBuild.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string TinyModel => Path.Combine(Root, "examples", "models", "tiny");

    private static string FindRoot()
    {
        for (var folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "LoraBuild.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"No LoraBuild.sln above {AppContext.BaseDirectory}.");
    }
}
