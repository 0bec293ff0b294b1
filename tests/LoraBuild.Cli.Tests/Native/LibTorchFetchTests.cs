using System.IO.Compression;
using LoraBuild.Core.Packages;
using LoraBuild.Engine.Native;

namespace LoraBuild.Cli.Tests.Native;

/// <summary>
/// The engine built without libtorch beside it (src/LoraBuild.Cli's own output) in a process whose NuGet packages folder
/// is empty: <c>doctor</c> fetches libtorch from the feed nuget.config names, verifies and installs it, and works; a
/// second <c>doctor</c> with the feed gone works from the packages folder; a package with other bytes is refused.
/// </summary>
public sealed class LibTorchFetchTests : IDisposable
{
    private static readonly LibTorchPackage Cpu = LibTorchPackage.Cpu("linux-x64");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lorabuild-libtorch-" + Guid.NewGuid().ToString("N"));

    public LibTorchFetchTests()
    {
        Directory.CreateDirectory(Work);
        Directory.CreateDirectory(Feed);
        File.WriteAllText(Path.Combine(Work, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="runtime-feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    private string Work => Path.Combine(_folder, "work");

    private string Feed => Path.Combine(_folder, "feed");

    private string Packages => Path.Combine(_folder, "packages");

    [Fact]
    public void DoctorFetchesLibTorchFromTheConfiguredFeedThenWorksOffline()
    {
        // A folder feed in NuGet's hierarchical layout, holding the package restore put into this machine's packages folder.
        var restored = Cpu.FolderIn(GlobalPackageInstaller.GlobalPackagesFolder(Environment.CurrentDirectory));
        Assert.True(File.Exists(Path.Combine(restored, $"{Cpu.Id}.{Cpu.Version}.nupkg")), $"restore put no {Cpu} in {restored}");
        Directory.CreateDirectory(Path.Combine(Feed, Cpu.Id));
        Directory.CreateSymbolicLink(Path.Combine(Feed, Cpu.Id, Cpu.Version), restored);

        var (firstCode, first) = Doctor();

        Assert.True(firstCode == 0, first);
        Assert.Contains($"Fetching {Cpu.Id} {Cpu.Version} from {Feed}", first, StringComparison.Ordinal);
        Assert.Contains("SHA-512 verified", first, StringComparison.Ordinal);
        Assert.Contains("fetched from", first, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Cpu.NativeFolderIn(Packages), "libtorch_cpu.so")));
        Assert.Matches(@"matmul fp32 n=64 +│ [0-9]+\.[0-9] GFLOP/s", first);

        Directory.Delete(Feed, recursive: true);
        var (secondCode, second) = Doctor();

        Assert.True(secondCode == 0, second);
        Assert.DoesNotContain("Fetching", second, StringComparison.Ordinal);
        Assert.Contains("NuGet packages folder", second, StringComparison.Ordinal);
    }

    [Fact]
    public void APackageWithOtherBytesIsRefusedAndNotInstalled()
    {
        using (var zip = ZipFile.Open(Path.Combine(Feed, $"{Cpu.Id}.{Cpu.Version}.nupkg"), ZipArchiveMode.Create))
        {
            using var nuspec = new StreamWriter(zip.CreateEntry($"{Cpu.Id}.nuspec").Open());
            nuspec.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata><id>{Cpu.Id}</id><version>{Cpu.Version}</version><authors>someone else</authors><description>not libtorch</description></metadata>
                </package>
                """);
        }

        var (code, output) = Doctor();

        Assert.NotEqual(0, code);
        Assert.Contains($"error {PackageInstallErrorCodes.HashMismatch}", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Cpu.FolderIn(Packages)));
    }

    [Fact]
    public void NoFeedWithThePackageIsOneCodedError()
    {
        var (code, output) = Doctor();

        Assert.NotEqual(0, code);
        Assert.Contains($"error {PackageInstallErrorCodes.PackageUnavailable}", output, StringComparison.Ordinal);
        Assert.Contains(LibTorchChoice.Variable, output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private (int ExitCode, string Output) Doctor() =>
        EngineProcess.Run(
            Work,
            ["doctor", "--size", "64"],
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = Packages, [LibTorchChoice.Variable] = "cpu" },
            engine: EngineWithoutLibTorch()); // the tool's own build output: TorchSharp without libtorch, as the tool package ships it

    private static string EngineWithoutLibTorch()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var engine = CliRun.RepositoryFile("src", "LoraBuild.Cli", "bin", configuration, "net10.0", "dotnet-lora.dll");
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(engine)!, "runtimes", "linux-x64", "native", "libtorch_cpu.so")), "the tool's output carries libtorch");
        return engine;
    }
}
