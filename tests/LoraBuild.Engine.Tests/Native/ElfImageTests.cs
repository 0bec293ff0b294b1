using LoraBuild.Engine.Native;

namespace LoraBuild.Engine.Tests.Native;

public class ElfImageTests
{
    private static string LibTorchSharp => NativeLibraryLocator.FindLibTorchSharp()
        ?? throw new InvalidOperationException("libLibTorchSharp.so should be in the test output.");

    [Fact]
    public void SystemLibStdCxxDefinesTheBaseGlibcxxVersions()
    {
        var libStdCxx = NativeLibraryLocator.FindSystemLibStdCxx();
        Assert.NotNull(libStdCxx);

        var defined = ElfImage.Read(libStdCxx).VersionDefinitions();

        Assert.Contains("GLIBCXX_3.4", defined);
        Assert.Contains("CXXABI_1.3", defined);
        Assert.DoesNotContain("GLIBCXX_9.9.99", defined);
    }

    [Fact]
    public void LibTorchSharpRequiresVersionsFromLibStdCxxAndLibc()
    {
        var requirements = ElfImage.Read(LibTorchSharp).VersionRequirements();

        Assert.Contains(requirements, r => r.File == "libstdc++.so.6" && r.Version == "GLIBCXX_3.4");
        Assert.Contains(requirements, r => r.File.StartsWith("libc.so", StringComparison.Ordinal));
        Assert.All(requirements, r => Assert.InRange(r.VersionIndex, 2, 0x7fff));
    }

    [Fact]
    public void VersionsThatRelocationsUseAreDetected()
    {
        var image = ElfImage.Read(LibTorchSharp);
        var baseVersion = image.VersionRequirements().Single(r => r.File == "libstdc++.so.6" && r.Version == "GLIBCXX_3.4");

        Assert.True(image.IsVersionUsedByRelocation(baseVersion.VersionIndex));
    }

    [Fact]
    public void NonElfFilesAreRejected()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, new string('x', 100));
            Assert.Throws<InvalidDataException>(() => ElfImage.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
