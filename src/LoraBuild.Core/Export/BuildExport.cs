using System.Security.Cryptography;
using System.Text;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Export;

/// <summary>
/// Exports a build makes beside a trained adapter (<c>LoraAdapter</c> metadata <c>Export="gguf"</c> and
/// <c>ExportBase</c>). An export has its own key: the adapter's training fingerprint (which covers the base model's
/// files and the engine version), the format and the base's tensor type. Changing the export settings re-exports
/// without retraining; an unchanged key leaves the export alone. The key is kept in <see cref="KeyFileName"/> in the
/// export folder, written last, so an interrupted export is redone.
/// </summary>
public static class BuildExport
{
    /// <summary>The item metadata that turns an export on (<c>gguf</c>); empty for none.</summary>
    public const string ExportMetadata = "Export";

    /// <summary>The item metadata for the base model's tensor type in the export: none (the default), f32, f16, bf16, q8_0.</summary>
    public const string ExportBaseMetadata = "ExportBase";

    /// <summary>The only export format.</summary>
    public const string GgufFormat = "gguf";

    /// <summary>The file in an export folder holding the export's key; not part of the export.</summary>
    public const string KeyFileName = ".lorabuild-export-key";

    /// <summary>Bumped when the exporter starts writing different bytes for the same inputs.</summary>
    private const int ExporterVersion = 1;

    /// <summary>Checks the two metadata values; <paramref name="location"/> names the item in errors.</summary>
    /// <exception cref="LoraException">LORA4200 for a format other than gguf, LORA4201 for an unknown base type.</exception>
    public static (string? Format, string BaseType) Parse(string? format, string? baseType, string location)
    {
        var trimmedFormat = string.IsNullOrWhiteSpace(format) ? null : format.Trim().ToLowerInvariant();
        if (trimmedFormat is not null and not GgufFormat)
        {
            throw new LoraException(ExportErrorCodes.FormatUnknown, $"Export '{format}' is not an export format; use gguf (or leave it empty for none).", location);
        }

        var trimmedBase = string.IsNullOrWhiteSpace(baseType) ? GgufTensorTypes.None : baseType.Trim().ToLowerInvariant();
        if (trimmedBase != GgufTensorTypes.None)
        {
            GgufTensorTypes.Parse(trimmedBase, location);
        }

        return (trimmedFormat, trimmedBase);
    }

    public static string Key(string trainingFingerprint, string format, string baseType)
    {
        var text = $"lorabuild-export/{ExporterVersion}\nformat={format}\nbase={baseType}\nadapter={trainingFingerprint}\n";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The key an export folder was finished with, or null when it has none (never exported, or interrupted).</summary>
    public static string? ReadKey(string exportDirectory)
    {
        var path = Path.Combine(exportDirectory, KeyFileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public static void WriteKey(string exportDirectory, string key) => AtomicFile.WriteAllText(Path.Combine(exportDirectory, KeyFileName), key + "\n");

    /// <summary>The exported files in an export folder (everything but the key file and hidden temporaries), in ordinal order.</summary>
    public static IReadOnlyList<string> Files(string exportDirectory) => Directory.Exists(exportDirectory)
        ? [.. Directory.EnumerateFiles(exportDirectory).Where(file => !Path.GetFileName(file).StartsWith('.')).Order(StringComparer.Ordinal)]
        : [];
}
