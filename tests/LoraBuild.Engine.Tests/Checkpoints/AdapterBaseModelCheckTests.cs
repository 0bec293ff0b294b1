using LoraBuild.Core.Adapters;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Manifests;
using LoraBuild.Engine.Checkpoints;

namespace LoraBuild.Engine.Tests.Checkpoints;

public class AdapterBaseModelCheckTests
{
    private static IReadOnlyList<string> Check(TinyCheckpoint checkpoint, TinyAdapter adapter) =>
        AdapterBaseModelCheck.Check(
            checkpoint.Directory,
            adapter.Directory,
            AdapterConfigJson.Read(Path.Combine(adapter.Directory, AdapterConfigJson.FileName)),
            new FileHashCache(null));

    [Fact]
    public void TheFolderTheAdapterNamesPasses()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint);

        Assert.Empty(Check(checkpoint, adapter));
    }

    [Fact]
    public void AHubIdEndingInTheFoldersNamePasses()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, baseModelNameOrPath: "acme/" + Path.GetFileName(checkpoint.Directory));

        Assert.Empty(Check(checkpoint, adapter));
    }

    [Fact]
    public void AnotherHubIdIsAWarningNamingIt()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, baseModelNameOrPath: "acme/other-model");

        var warning = Assert.Single(Check(checkpoint, adapter));

        Assert.Contains("'acme/other-model'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void ALocalCopyOfTheBasePassesAndAnotherCheckpointDoesNot()
    {
        using var checkpoint = new TinyCheckpoint();
        using var other = new TinyCheckpoint(seed: 8);
        var copy = checkpoint.Directory + "-copy";
        Directory.CreateDirectory(copy);
        try
        {
            foreach (var file in Directory.EnumerateFiles(checkpoint.Directory))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            using var onCopy = new TinyAdapter(checkpoint, baseModelNameOrPath: copy);
            using var onOther = new TinyAdapter(checkpoint, baseModelNameOrPath: other.Directory);

            Assert.Empty(Check(checkpoint, onCopy));
            Assert.Contains(other.Directory, Assert.Single(Check(checkpoint, onOther)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    [Fact]
    public void TheManifestsHashesDecideOverTheName()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, baseModelNameOrPath: "acme/other-model");

        adapter.WriteManifest(TinyAdapter.Manifest(TinyAdapter.HashFiles(checkpoint.Directory)));

        Assert.Empty(Check(checkpoint, adapter));
    }

    [Fact]
    public void AFileWhoseHashDiffersOrThatIsMissingIsNamed()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint);
        var hashes = TinyAdapter.HashFiles(checkpoint.Directory);
        hashes["model.safetensors"] = new string('0', 64);
        hashes["extra.bin"] = new string('1', 64);

        adapter.WriteManifest(TinyAdapter.Manifest(hashes));
        var warning = Assert.Single(Check(checkpoint, adapter));

        Assert.Contains("model.safetensors differs", warning, StringComparison.Ordinal);
        Assert.Contains("extra.bin is missing", warning, StringComparison.Ordinal);
        Assert.DoesNotContain("config.json", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreadableManifestFallsBackToTheNameWithAWarning()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint);
        File.WriteAllText(Path.Combine(adapter.Directory, TrainingManifest.FileName), "{ not json");

        var warning = Assert.Single(Check(checkpoint, adapter));

        Assert.Contains(TrainingManifest.FileName, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadingReportsTheWarnings()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, baseModelNameOrPath: "acme/other-model");

        using var loaded = PretrainedModel.Load(checkpoint.Directory, adapterDirectory: adapter.Directory);

        Assert.Contains("'acme/other-model'", Assert.Single(loaded.Warnings), StringComparison.Ordinal);
    }
}
