namespace LoraBuild.Engine.Tests.Models.Parity;

/// <summary>Finds the committed fixture folder in the source tree, above the test assembly's output folder.</summary>
internal static class HfParityFixtures
{
    public const string RelativePath = "Fixtures/hf-parity";
    private const string ProjectFile = "LoraBuild.Engine.Tests.csproj";

    public static string? Root { get; } = Find();

    private static string? Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var project = Path.Combine(directory.FullName, "tests", "LoraBuild.Engine.Tests");
            if (File.Exists(Path.Combine(directory.FullName, ProjectFile)))
            {
                project = directory.FullName;
            }
            else if (!File.Exists(Path.Combine(project, ProjectFile)))
            {
                continue;
            }

            var fixtures = Path.Combine(project, RelativePath);
            return Directory.Exists(fixtures) ? fixtures : null;
        }

        return null;
    }
}
