using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Specs;
using LoraBuild.Tasks.Engine;
using LoraBuild.Tasks.Items;
using Microsoft.Build.Framework;

namespace LoraBuild.Tasks;

/// <summary>
/// GGUF exports: <c>Export="gguf"</c> on a LoraAdapter writes <c>adapter.gguf</c> (and, with <c>ExportBase</c> other than
/// none, <c>model.gguf</c> of the base) and an Ollama <c>Modelfile</c> into <c>obj/lora/exports/&lt;Adapter&gt;/</c>, out of
/// process like training. Its key (<see cref="BuildExport.Key"/>) decides whether it is up to date; export settings
/// are not training settings, so changing them re-exports and never retrains.
/// </summary>
public sealed partial class LoraTrain
{
    /// <summary>Every adapter's export settings, checked before anything trains; null after logging each bad one.</summary>
    private Dictionary<string, (string? Format, string BaseType)>? ParseExports(IEnumerable<ITaskItem> adapters)
    {
        var exports = new Dictionary<string, (string?, string)>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in adapters)
        {
            try
            {
                exports[item.ItemSpec] = BuildExport.Parse(item.GetMetadata(BuildExport.ExportMetadata), item.GetMetadata(BuildExport.ExportBaseMetadata), $"LoraAdapter '{item.ItemSpec}'");
            }
            catch (LoraException e)
            {
                var metadata = e.Code == ExportErrorCodes.FormatUnknown ? BuildExport.ExportMetadata : BuildExport.ExportBaseMetadata;
                LogItemError(new LoraItemException(e.Code, e.Message, Reference(item), metadata));
            }
        }

        return Log.HasLoggedErrors ? null : exports;
    }

    /// <summary>
    /// Brings the adapter's export up to date. Returns the export folder, <see cref="string.Empty"/> when the item asks for
    /// no export, or null after logging an error.
    /// </summary>
    private string? ProduceExport(ITaskItem item, (string? Format, string BaseType) settings, TrainingSpec spec, string adapterDirectory, string fingerprint, EngineCommand? engine, string intermediate)
    {
        var reference = Reference(item);
        var (format, baseType) = settings;
        var exportDirectory = Path.Combine(intermediate, "exports", spec.Name!);
        if (format is null)
        {
            return string.Empty;
        }

        var key = BuildExport.Key(fingerprint, format, baseType);
        if (BuildExport.ReadKey(exportDirectory) == key)
        {
            Log.LogMessage(MessageImportance.High, "LoraBuild: {0} export ({1}, base {2}) is up to date.", spec.Name, format, baseType);
            return exportDirectory;
        }

        if (SkipTraining || engine is null)
        {
            LogItemError(new LoraItemException(
                TaskErrorCodes.SkippedWithoutAdapter,
                $"LoraSkipTraining is true but the {format} export of '{spec.Name}' is missing or stale; build once without LoraSkipTraining.",
                reference,
                BuildExport.ExportMetadata));
            return null;
        }

        Log.LogMessage(MessageImportance.High, "LoraBuild: exporting {0} as {1} (base {2}).", spec.Name, format, baseType);
        if (Directory.Exists(exportDirectory))
        {
            Directory.Delete(exportDirectory, recursive: true);
        }

        Directory.CreateDirectory(exportDirectory);
        var exitCode = RunEngine(engine, capture: false,
            "export", "--format", format, "--adapter", adapterDirectory, "--model", BaseModelFolder(spec),
            "--type", baseType, "--output", exportDirectory, "--force");
        ThrowIfCancelled();
        if (exitCode != 0)
        {
            if (!Log.HasLoggedErrors)
            {
                Log.LogError(null, EngineErrorCodes.EngineFailed, null, ProjectFile, 0, 0, 0, 0, "The engine ({0}) exited with code {1} while exporting '{2}'; its output is above.", engine.Description, exitCode, spec.Name);
            }

            return null;
        }

        BuildExport.WriteKey(exportDirectory, key);
        return exportDirectory;
    }
}
