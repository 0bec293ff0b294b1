using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Testing.Tests;

public class SnapshotFilesTests
{
    [Fact]
    public void TheFilesSitInTheCallersSourceFolderUnlessADirectoryIsGiven()
    {
        using var folder = new TempDirectory();
        var source = Path.Combine(folder.Path, "MyTests.cs");

        var besideTest = SnapshotFiles.For("triage", directory: null, callerFilePath: source);
        var elsewhere = SnapshotFiles.For("triage", directory: Path.GetTempPath(), callerFilePath: source);

        Assert.Equal(Path.Combine(folder.Path, "triage.verified.json"), besideTest.VerifiedPath);
        Assert.Equal(Path.Combine(folder.Path, "triage.received.json"), besideTest.ReceivedPath);
        Assert.Equal(Path.Combine(Path.GetFullPath(Path.GetTempPath()), "triage.verified.json"), elsewhere.VerifiedPath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("with space")]
    public void ANameThatIsNotAPlainFileNameIsRejected(string name)
    {
        var error = Assert.Throws<LoraException>(() => SnapshotFiles.For(name, Path.GetTempPath(), null));

        Assert.Equal("LORA1371", error.Code);
    }

    [Fact]
    public void AMissingFolderNamesItAndSaysHowToSetIt()
    {
        var source = "/_/tests/MyTests.cs";

        var error = Assert.Throws<LoraException>(() => SnapshotFiles.For("triage", directory: null, callerFilePath: source));

        Assert.Equal("LORA1370", error.Code);
        Assert.Equal("/_/tests", error.Location);
        Assert.Contains("SnapshotOptions.Directory", error.Message, StringComparison.Ordinal);
    }
}
