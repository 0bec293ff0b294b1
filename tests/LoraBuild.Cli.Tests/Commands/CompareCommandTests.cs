namespace LoraBuild.Cli.Tests.Commands;

public class CompareCommandTests
{
    [Fact]
    public void NoAdaptersIsAnErrorNamingThePath()
    {
        var folder = Directory.CreateTempSubdirectory("lorabuild-compare-").FullName;
        try
        {
            var (exitCode, _, error) = CliRun.Invoke("compare", folder);

            Assert.Equal(1, exitCode);
            Assert.Contains("error LORA1392:", error, StringComparison.Ordinal);
            Assert.Contains(folder, error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AnUnreadableManifestIsAnErrorAtItsFile()
    {
        var folder = Directory.CreateTempSubdirectory("lorabuild-compare-").FullName;
        try
        {
            var manifest = Path.Combine(folder, "A", "lorabuild.json");
            Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
            File.WriteAllText(manifest, "[1, 2]");

            var (exitCode, _, error) = CliRun.Invoke("compare", folder, "--sort", "params");

            Assert.Equal(1, exitCode);
            Assert.Contains($"{manifest}: error LORA1393:", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
