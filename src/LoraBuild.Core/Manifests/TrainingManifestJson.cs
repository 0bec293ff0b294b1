using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Manifests;

/// <summary>Reads and writes <c>lorabuild.json</c> with sorted keys, so equal manifests are equal bytes.</summary>
public static class TrainingManifestJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(TrainingManifest manifest)
    {
        var node = JsonSerializer.SerializeToNode(manifest, s_options)!;
        return CanonicalJson.SortKeys(node)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = s_options.Encoder }) + "\n";
    }

    public static void WriteFile(TrainingManifest manifest, string path) => AtomicFile.WriteAllText(path, Serialize(manifest));

    public static TrainingManifest ReadFile(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingManifest>(File.ReadAllText(path), s_options)
                ?? throw new LoraException(ManifestErrorCodes.ManifestUnreadable, "The manifest is JSON null.", path);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new LoraException(ManifestErrorCodes.ManifestUnreadable, $"The manifest cannot be read: {e.Message}", path, e);
        }
    }

    /// <summary>The fingerprint recorded in <paramref name="path"/>, or null when there is no readable manifest.</summary>
    public static string? TryReadFingerprint(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("fingerprint", out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
