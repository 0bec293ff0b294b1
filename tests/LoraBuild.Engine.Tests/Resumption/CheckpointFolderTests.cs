using LoraBuild.Engine.Resumption;

namespace LoraBuild.Engine.Tests.Resumption;

public sealed class CheckpointFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lorabuild-ckptdir-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void TheFolderIsAHiddenSiblingOfTheOutput()
    {
        var folder = new CheckpointFolder(Path.Combine(_root, "adapters", "Triage") + Path.DirectorySeparatorChar);

        Assert.Equal(Path.Combine(_root, "adapters", ".Triage.checkpoints"), folder.FullPath);
    }

    [Fact]
    public void PublishedFilesAreNamedByStepAndHashAndListedNewestFirst()
    {
        var folder = new CheckpointFolder(Path.Combine(_root, "out"));
        var first = Publish(folder, 4, "four");
        var second = Publish(folder, 12, "twelve");
        File.WriteAllText(Path.Combine(folder.FullPath, "notes.txt"), "not a checkpoint");
        File.WriteAllText(Path.Combine(folder.FullPath, "step-000001.ckpt"), "no hash in the name");

        Assert.Matches(@"^step-000012\.[0-9a-f]{32}\.ckpt$", Path.GetFileName(second.Path));
        Assert.Equal([12, 4], folder.List().Select(file => file.Step));
        Assert.True(CheckpointFolder.IsIntact(first));
        File.AppendAllText(first.Path, "!");
        Assert.False(CheckpointFolder.IsIntact(first));
    }

    [Fact]
    public void PruningKeepsTheNewestAndRemovesWhatAKilledWriteLeft()
    {
        var folder = new CheckpointFolder(Path.Combine(_root, "out"));
        foreach (var step in new[] { 2, 4, 6 })
        {
            Publish(folder, step, $"state {step}");
        }

        var leftover = folder.NewTemporaryPath();
        File.WriteAllText(leftover, "half a checkpoint");
        var atomicLeftover = Path.Combine(folder.FullPath, ".step.0123.tmp");
        File.WriteAllText(atomicLeftover, "half");

        folder.Prune(2);

        Assert.Equal([6, 4], folder.List().Select(file => file.Step));
        Assert.False(File.Exists(leftover));
        Assert.False(File.Exists(atomicLeftover));
        folder.Delete();
        Assert.False(Directory.Exists(folder.FullPath));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static CheckpointFile Publish(CheckpointFolder folder, int step, string content)
    {
        var temporary = folder.NewTemporaryPath();
        File.WriteAllText(temporary, content);
        return folder.Publish(temporary, step);
    }
}
