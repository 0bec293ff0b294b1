using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;
using LoraBuild.Tasks.Packaging;
using Microsoft.Build.Utilities;

namespace LoraBuild.Tasks.Tests.Packaging;

public sealed class PrepareAdapterPackageTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "lorabuild-prepare-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingBuildEngine _engine = new();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Adapter(string name, bool withWeights = true)
    {
        var folder = Path.Combine(_root, "trained", name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "adapter_config.json"), "{}");
        if (withWeights)
        {
            File.WriteAllBytes(Path.Combine(folder, "adapter_model.safetensors"), [1, 2, 3]);
        }

        TrainingManifestJson.WriteFile(AdapterProject.Manifest(wallSeconds: 2), Path.Combine(folder, TrainingManifest.FileName));
        return folder;
    }

    private static TaskItem Item(string name, string path, string? fingerprint = null)
    {
        var item = new TaskItem(name);
        item.SetMetadata("Path", path);
        item.SetMetadata("Fingerprint", fingerprint ?? AdapterProject.Fingerprint);
        return item;
    }

    private PrepareAdapterPackage Task(params TaskItem[] adapters) => new()
    {
        BuildEngine = _engine,
        Adapters = adapters,
        PackageId = "Contoso.Triage",
        PackageVersion = "1.0.0",
        OutputDirectory = Path.Combine(_root, "obj"),
    };

    [Fact]
    public void EveryFileGetsItsPackagePathAndTheDescriptionEndsWithTheFingerprint()
    {
        var task = Task(Item("Triage", Adapter("Triage")));
        task.Description = "Triage for Contoso.";

        Assert.True(task.Execute());

        Assert.Equal(
            ["README.md", "build/Contoso.Triage.props", "build/Contoso.Triage.targets", "buildTransitive/Contoso.Triage.props", "buildTransitive/Contoso.Triage.targets",
             "lora/Triage/README.md", "lora/Triage/adapter_config.json", "lora/Triage/adapter_model.safetensors", "lora/Triage/lorabuild.json"],
            task.PackageFiles.Select(file => file.GetMetadata("PackagePath")).Order(StringComparer.Ordinal));
        Assert.All(task.PackageFiles, file => Assert.True(File.Exists(file.ItemSpec), file.ItemSpec));
        Assert.Equal($"Triage for Contoso.\nFingerprint of Triage: {AdapterProject.Fingerprint}", task.PackageDescription);
    }

    [Fact]
    public void AnExportIsPackedBesideItsAdapterAndItsFilesAreNamedForConsumers()
    {
        var export = Path.Combine(_root, "exports", "Triage");
        Directory.CreateDirectory(export);
        File.WriteAllBytes(Path.Combine(export, "adapter.gguf"), [1]);
        File.WriteAllText(Path.Combine(export, "Modelfile"), "FROM ./model.gguf\n");
        File.WriteAllText(Path.Combine(export, ".lorabuild-export-key"), "key\n");
        var item = Item("Triage", Adapter("Triage"));
        item.SetMetadata("ExportPath", export + Path.DirectorySeparatorChar);
        var task = Task(item);

        Assert.True(task.Execute());

        var packed = task.PackageFiles.Where(file => file.ItemSpec.StartsWith(export, StringComparison.Ordinal)).ToDictionary(file => Path.GetFileName(file.ItemSpec), file => file.GetMetadata("PackagePath"));
        // NuGet reads a PackagePath without an extension as a folder, so the Modelfile goes to its folder under its own name.
        Assert.Equal(new Dictionary<string, string> { ["Modelfile"] = "lora/Triage/", ["adapter.gguf"] = "lora/Triage/adapter.gguf" }, packed);
        var props = File.ReadAllText(task.PackageFiles.Single(file => file.GetMetadata("PackagePath") == "buildTransitive/Contoso.Triage.props").ItemSpec);
        Assert.Contains("<GgufOutputPath>lora/Triage/adapter.gguf</GgufOutputPath>", props, StringComparison.Ordinal);
        Assert.DoesNotContain("GgufBase", props, StringComparison.Ordinal);
    }

    [Fact]
    public void UnchangedGeneratedFilesAreNotRewritten()
    {
        Assert.True(Task(Item("Triage", Adapter("Triage"))).Execute());
        var card = Path.Combine(_root, "obj", "lora", "Triage", "README.md");
        var written = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(card, written);

        Assert.True(Task(Item("Triage", Adapter("Triage"))).Execute());

        Assert.Equal(written, File.GetLastWriteTimeUtc(card));
    }

    [Fact]
    public void AMissingFileIsAnErrorAtTheAdapterFolder()
    {
        var folder = Adapter("Triage", withWeights: false);

        Assert.False(Task(Item("Triage", folder)).Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal(PackagingErrorCodes.AdapterFileMissing, error.Code);
        Assert.Equal(folder, error.File);
        Assert.Contains("adapter_model.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadAndDuplicateNamesAreErrors()
    {
        var folder = Adapter("Triage");

        Assert.False(Task(Item("Triage", folder), Item("triage", folder), Item("a b", folder)).Execute());

        Assert.Equal([PackagingErrorCodes.AdapterNameDuplicate, PackagingErrorCodes.AdapterNameInvalid], _engine.Errors.Select(e => e.Code));
    }

    [Fact]
    public void AStaleAdapterIsAnErrorAtItsManifest()
    {
        var folder = Adapter("Triage");

        Assert.False(Task(Item("Triage", folder, fingerprint: new string('9', 64))).Execute());

        var error = Assert.Single(_engine.Errors);
        Assert.Equal(PackagingErrorCodes.FingerprintMismatch, error.Code);
        Assert.Equal(Path.Combine(folder, TrainingManifest.FileName), error.File);
    }
}
