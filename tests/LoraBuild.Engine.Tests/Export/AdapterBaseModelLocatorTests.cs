using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Manifests;
using LoraBuild.Engine.Export;
using LoraBuild.Engine.Tests.Checkpoints;

namespace LoraBuild.Engine.Tests.Export;

/// <summary>
/// A project layout such as a build leaves: the base at <c>project/models/tiny</c> (the path the manifest of
/// <see cref="TinyAdapter.Manifest"/> records) and the adapter at <c>project/bin/adapter</c>.
/// </summary>
public sealed class AdapterBaseModelLocatorTests : IDisposable
{
    private const string HubId = "example-org/not-a-folder";

    private readonly ParityCheckpoints _checkpoints = new();
    private readonly string _model;
    private readonly string _adapter;

    public AdapterBaseModelLocatorTests()
    {
        _model = _checkpoints.Model(Path.Combine("project", "models", "tiny"));
        _adapter = _checkpoints.Adapter(Path.Combine("project", "bin", "adapter"), _model, ParityCheckpoints.Settings());
    }

    public void Dispose() => _checkpoints.Dispose();

    [Fact]
    public void ABaseModelNameOrPathThatIsAFolderIsTaken()
    {
        Assert.Equal(Path.GetFullPath(_model), AdapterBaseModelLocator.Find(_adapter));
    }

    [Fact]
    public void ARelativeBaseModelNameOrPathIsResolvedAgainstTheFoldersAboveTheAdapter()
    {
        RecordBaseModel(Path.Combine("models", "tiny"));

        Assert.Equal(Path.GetFullPath(_model), AdapterBaseModelLocator.Find(_adapter));
    }

    [Fact]
    public void TheManifestsBasePathIsFoundAboveTheAdapterWhenItsConfigHashMatches()
    {
        RecordBaseModel(HubId);
        WriteManifest(TinyAdapter.HashFiles(_model));

        Assert.Equal(Path.GetFullPath(_model), AdapterBaseModelLocator.Find(_adapter));
    }

    [Fact]
    public void AManifestCandidateWhoseConfigHashDiffersIsRefused()
    {
        RecordBaseModel(HubId);
        var hashes = TinyAdapter.HashFiles(_model);
        hashes["config.json"] = new string('0', 64);
        WriteManifest(hashes);

        var error = Assert.Throws<LoraException>(() => AdapterBaseModelLocator.Find(_adapter));

        Assert.Equal(ExportErrorCodes.BaseModelNotFound, error.Code);
    }

    [Fact]
    public void WithNeitherAFolderNorAManifestTheBaseIsNotFound()
    {
        RecordBaseModel(HubId);

        var error = Assert.Throws<LoraException>(() => AdapterBaseModelLocator.Find(_adapter));

        Assert.Equal(ExportErrorCodes.BaseModelNotFound, error.Code);
        Assert.Contains(HubId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolderWithoutAConfigIsNoBase()
    {
        var empty = _checkpoints.Folder("empty");
        Directory.CreateDirectory(empty);
        RecordBaseModel(empty);

        Assert.Equal(ExportErrorCodes.BaseModelNotFound, Assert.Throws<LoraException>(() => AdapterBaseModelLocator.Find(_adapter)).Code);
    }

    [Fact]
    public void TheManifestsPathRelativeToASpecFolderBelowTheCurrentFolderIsFound()
    {
        // As after `dotnet lora train examples/X --output out/X` from the repository root: the manifest's path is
        // relative to examples/X, which is not recorded, and the adapter lies elsewhere.
        var elsewhere = _checkpoints.Folder(Path.Combine("out", "adapter"));
        Directory.CreateDirectory(Path.GetDirectoryName(elsewhere)!);
        Directory.Move(_adapter, elsewhere);
        Directory.CreateDirectory(_checkpoints.Folder(Path.Combine("project", "specs", "triage")));
        var adapterConfig = Path.Combine(elsewhere, AdapterConfigJson.FileName);
        AdapterConfigJson.Write(adapterConfig, AdapterConfigJson.Read(adapterConfig) with { BaseModelNameOrPath = HubId });
        var manifest = TinyAdapter.Manifest(TinyAdapter.HashFiles(_model));
        TrainingManifestJson.WriteFile(
            manifest with { Spec = manifest.Spec with { BaseModel = new() { Path = "../../models/tiny" } } },
            Path.Combine(elsewhere, TrainingManifest.FileName));
        var current = Directory.GetCurrentDirectory();
        try
        {
            Directory.SetCurrentDirectory(_checkpoints.Folder("project"));

            Assert.Equal(Path.GetFullPath(_model), AdapterBaseModelLocator.Find(elsewhere));
        }
        finally
        {
            Directory.SetCurrentDirectory(current);
        }
    }

    private void RecordBaseModel(string baseModelNameOrPath)
    {
        var path = Path.Combine(_adapter, AdapterConfigJson.FileName);
        AdapterConfigJson.Write(path, AdapterConfigJson.Read(path) with { BaseModelNameOrPath = baseModelNameOrPath });
    }

    private void WriteManifest(Dictionary<string, string> baseModelFiles) =>
        TrainingManifestJson.WriteFile(TinyAdapter.Manifest(baseModelFiles), Path.Combine(_adapter, TrainingManifest.FileName));
}
