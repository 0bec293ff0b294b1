using System.Globalization;
using System.Text;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace LoraBuild.Tasks.Packaging;

/// <summary>
/// Lays out what <c>dotnet pack</c> puts in an adapter package: per adapter, its <c>adapter_config.json</c> and weights
/// (as trained), a <c>lorabuild.json</c> without machine-dependent timings, and a model card; the consumer's
/// <c>build/</c> and <c>buildTransitive/</c> files; and the package description with each fingerprint. Generated files
/// go to <see cref="OutputDirectory"/> and are rewritten only when their content changes, so pack stays incremental.
/// It only reads JSON and writes text: NuGet's own pack targets build the archive.
/// </summary>
public sealed class PrepareAdapterPackage : Microsoft.Build.Utilities.Task
{
    /// <summary>The trained adapters (<c>@(LoraTrainedAdapter)</c>): item spec = name, metadata <c>Path</c> (the adapter folder; <c>Directory</c> is a reserved MSBuild metadata name), <c>Fingerprint</c>, optional <c>BaseModel</c> and <c>ExportPath</c> (its GGUF export, packed beside it).</summary>
    [Required]
    public ITaskItem[] Adapters { get; set; } = [];

    [Required]
    public string PackageId { get; set; } = string.Empty;

    [Required]
    public string PackageVersion { get; set; } = string.Empty;

    /// <summary>The project's own <c>$(Description)</c>, kept ahead of the fingerprints; may be empty.</summary>
    public string? Description { get; set; }

    /// <summary>Where generated files are written (under <c>obj/</c>).</summary>
    [Required]
    public string OutputDirectory { get; set; } = string.Empty;

    /// <summary>Every file to pack, with metadata <c>PackagePath</c>.</summary>
    [Output]
    public ITaskItem[] PackageFiles { get; private set; } = [];

    /// <summary>The package description: the project's description (or a generated one) and each adapter's fingerprint.</summary>
    [Output]
    public string PackageDescription { get; private set; } = string.Empty;

    public override bool Execute()
    {
        var files = new List<ITaskItem>();
        var packaged = new List<(PackagedAdapter Adapter, string Card)>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in Adapters)
        {
            try
            {
                AdapterPackageLayout.ValidateAdapterName(item.ItemSpec, $"LoraTrainedAdapter '{item.ItemSpec}'");
                if (!names.Add(item.ItemSpec))
                {
                    throw new LoraException(PackagingErrorCodes.AdapterNameDuplicate, $"Two adapters are named '{item.ItemSpec}'; a package folder can hold only one.", $"LoraTrainedAdapter '{item.ItemSpec}'");
                }

                packaged.Add(Prepare(item, files));
            }
            catch (LoraException e)
            {
                Log.LogError(null, e.Code, null, e.Location, 0, 0, 0, 0, e.Message);
            }
        }

        if (Log.HasLoggedErrors)
        {
            return false;
        }

        foreach (var (path, content) in ConsumerBuildFiles.Render(PackageId, PackageVersion, [.. packaged.Select(p => p.Adapter)]))
        {
            files.Add(Generated(path, content));
        }

        files.Add(Generated(AdapterPackageLayout.ModelCardFileName, string.Join("\n", packaged.OrderBy(p => p.Adapter.Name, StringComparer.Ordinal).Select(p => p.Card))));
        PackageFiles = [.. files];
        PackageDescription = Describe(packaged.Select(p => p.Adapter).OrderBy(a => a.Name, StringComparer.Ordinal).ToList());
        return true;
    }

    private (PackagedAdapter Adapter, string Card) Prepare(ITaskItem item, List<ITaskItem> files)
    {
        var name = item.ItemSpec;
        var directory = item.GetMetadata("Path");
        var missing = AdapterPackageLayout.RequiredFiles.Where(file => directory.Length == 0 || !File.Exists(Path.Combine(directory, file))).ToList();
        if (missing.Count > 0)
        {
            throw new LoraException(
                PackagingErrorCodes.AdapterFileMissing,
                $"The adapter '{name}' cannot be packed: its folder lacks {string.Join(", ", missing)}. Build the project to train it.",
                directory.Length == 0 ? $"LoraTrainedAdapter '{name}'" : directory);
        }

        var manifestPath = Path.Combine(directory, TrainingManifest.FileName);
        var manifest = PackagedManifest.From(TrainingManifestJson.ReadFile(manifestPath));
        var expected = item.GetMetadata("Fingerprint");
        if (expected.Length > 0 && !string.Equals(expected, manifest.Fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new LoraException(
                PackagingErrorCodes.FingerprintMismatch,
                $"The adapter '{name}' is stale: the build's fingerprint is {expected}, but {TrainingManifest.FileName} records {manifest.Fingerprint}. Build again to retrain it.",
                manifestPath);
        }

        var baseModel = item.GetMetadata("BaseModel") is { Length: > 0 } declared ? declared : BaseModelId.Of(manifest.Spec);
        var reportFiles = AdapterPackageLayout.ReportFilesIn(directory);
        var card = ModelCard.Render(manifest, name, PackageId, PackageVersion, reportFiles);
        var rootCard = ModelCard.Render(manifest, name, PackageId, PackageVersion, reportFiles, AdapterPackageLayout.PackagePath(name, string.Empty));
        foreach (var file in AdapterPackageLayout.RequiredFiles.Where(file => file != TrainingManifest.FileName).Concat(reportFiles))
        {
            files.Add(Packed(Path.GetFullPath(Path.Combine(directory, file)), AdapterPackageLayout.PackagePath(name, file)));
        }

        var exported = item.GetMetadata("ExportPath") is { Length: > 0 } exportPath ? BuildExport.Files(exportPath) : [];
        foreach (var file in exported)
        {
            // NuGet reads a PackagePath without an extension as a folder; for such a file (the Modelfile) that folder is the target.
            var fileName = Path.GetFileName(file);
            files.Add(Packed(Path.GetFullPath(file), AdapterPackageLayout.PackagePath(name, Path.HasExtension(fileName) ? fileName : string.Empty)));
        }

        files.Add(Generated(AdapterPackageLayout.PackagePath(name, TrainingManifest.FileName), TrainingManifestJson.Serialize(manifest)));
        files.Add(Generated(AdapterPackageLayout.PackagePath(name, AdapterPackageLayout.ModelCardFileName), card));
        return (new PackagedAdapter(name, baseModel, manifest.Fingerprint) { ExportedFiles = [.. exported.Select(Path.GetFileName).OfType<string>()] }, rootCard);
    }

    private string Describe(List<PackagedAdapter> adapters)
    {
        var text = new StringBuilder();
        if (string.IsNullOrWhiteSpace(Description))
        {
            text.Append(adapters.Count == 1 ? "LoRA adapter " : "LoRA adapters ");
            text.AppendJoin(", ", adapters.Select(a => string.IsNullOrEmpty(a.BaseModel) ? a.Name : $"{a.Name} (base model {a.BaseModel})"));
            text.Append(", trained and packed by LoraBuild.");
        }
        else
        {
            text.Append(Description.Trim());
        }

        foreach (var adapter in adapters)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nFingerprint of {adapter.Name}: {adapter.Fingerprint}");
        }

        return text.ToString();
    }

    private TaskItem Generated(string packagePath, string content)
    {
        var path = Path.GetFullPath(Path.Combine(OutputDirectory, packagePath));
        WriteIfChanged(path, content);
        return Packed(path, packagePath);
    }

    private static TaskItem Packed(string path, string packagePath)
    {
        var item = new TaskItem(path);
        item.SetMetadata("PackagePath", packagePath);
        return item;
    }

    /// <summary>Writes through a temporary file, and not at all when the file already holds this content (its timestamp then drives incremental pack).</summary>
    private static void WriteIfChanged(string path, string content)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            return;
        }

        Core.IO.AtomicFile.WriteAllBytes(path, bytes);
    }
}
