using System.Text.Json;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.IO;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Engine.Checkpoints;

/// <summary>
/// Whether an adapter is being put on the base model it was trained on. The strongest evidence comes first: the base
/// model file hashes in the adapter's <c>lorabuild.json</c>; without them, <c>adapter_config.json</c>'s
/// <c>base_model_name_or_path</c>, compared with the folder (or its files, when it names another local folder) or, for a
/// hub id, with the folder's name. A difference is a warning, never an error: a renamed or re-saved base can be fine.
/// </summary>
public static class AdapterBaseModelCheck
{
    /// <summary>
    /// Where file hashes are remembered between runs, so a multi-GB base is hashed once: <c>$XDG_CACHE_HOME</c> (or
    /// <c>~/.cache</c>) <c>/lorabuild/file-hashes.json</c>.
    /// </summary>
    public static string DefaultHashCacheFile { get; } = Path.Combine(UserCache.Folder, "file-hashes.json");

    /// <summary>The warnings for putting the adapter in <paramref name="adapterDirectory"/> on the base in <paramref name="modelDirectory"/>; empty when they agree or nothing can be checked.</summary>
    /// <param name="modelDirectory">The base model folder.</param>
    /// <param name="adapterDirectory">The adapter folder, which may hold <c>lorabuild.json</c>.</param>
    /// <param name="config">The adapter's <c>adapter_config.json</c>.</param>
    /// <param name="hashes">Remembers file hashes; saved when it learned new ones (failures to save are ignored).</param>
    public static IReadOnlyList<string> Check(string modelDirectory, string adapterDirectory, AdapterConfig config, FileHashCache hashes)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(hashes);
        var model = Path.GetFullPath(modelDirectory);
        var warnings = new List<string>();
        var manifestPath = Path.Combine(adapterDirectory, TrainingManifest.FileName);
        if (File.Exists(manifestPath))
        {
            try
            {
                var files = TrainingManifestJson.ReadFile(manifestPath).Inputs.BaseModelFiles;
                if (files.Count > 0)
                {
                    return CompareHashes(model, files, hashes);
                }
            }
            catch (LoraException e)
            {
                warnings.Add($"The adapter's {TrainingManifest.FileName} cannot be read ({e.Message}); the base model was checked by name only.");
            }
        }

        warnings.AddRange(CompareName(model, adapterDirectory, config.BaseModelNameOrPath, hashes));
        SaveQuietly(hashes);
        return warnings;
    }

    private static List<string> CompareHashes(string model, IReadOnlyDictionary<string, string> expected, FileHashCache hashes)
    {
        var missing = new List<string>();
        var differing = new List<string>();
        foreach (var (relative, sha256) in expected.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var path = Path.Combine(model, relative);
            if (!File.Exists(path))
            {
                missing.Add(relative);
            }
            else if (!string.Equals(hashes.Hash(path), sha256, StringComparison.OrdinalIgnoreCase))
            {
                differing.Add(relative);
            }
        }

        SaveQuietly(hashes);
        if (missing.Count == 0 && differing.Count == 0)
        {
            return [];
        }

        var problems = differing.Select(name => $"{name} differs").Concat(missing.Select(name => $"{name} is missing"));
        return
        [
            $"The base model '{model}' is not the one the adapter was trained on ({TrainingManifest.FileName} records other files: "
                + $"{string.Join(", ", problems)}); its outputs may not be what training measured.",
        ];
    }

    private static List<string> CompareName(string model, string adapterDirectory, string? recorded, FileHashCache hashes)
    {
        if (string.IsNullOrWhiteSpace(recorded))
        {
            return [];
        }

        if (FindLocalFolder(recorded, adapterDirectory) is { } local)
        {
            return PathsEqual(local, model) || SameCheckpoint(local, model, hashes)
                ? []
                : [$"The adapter was trained on '{recorded}' ({local}), whose config.json or weights differ from those in '{model}'."];
        }

        var recordedName = Path.GetFileName(recorded.TrimEnd('/', '\\'));
        if (string.Equals(recordedName, Path.GetFileName(model.TrimEnd(Path.DirectorySeparatorChar)), StringComparison.OrdinalIgnoreCase)
            || string.Equals(ConfigNameOrPath(model), recorded, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        return [$"The adapter was trained on '{recorded}' (adapter_config.json), but is being put on '{model}'; make sure it is the same model."];
    }

    private static void SaveQuietly(FileHashCache hashes)
    {
        try
        {
            hashes.Save();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache only saves time.
        }
    }

    /// <summary>The model folder a recorded path names here: as given, or relative to the adapter folder or the current folder.</summary>
    private static string? FindLocalFolder(string recorded, string adapterDirectory)
    {
        string[] candidates = Path.IsPathRooted(recorded)
            ? [recorded]
            : [Path.Combine(adapterDirectory, recorded), recorded];
        return candidates
            .Select(Path.GetFullPath)
            .FirstOrDefault(candidate => File.Exists(Path.Combine(candidate, "config.json")));
    }

    private static bool PathsEqual(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(a), Path.TrimEndingDirectorySeparator(b), StringComparison.Ordinal);

    /// <summary>A copy of the same checkpoint: the same config.json and weight files, byte for byte (by SHA-256).</summary>
    private static bool SameCheckpoint(string a, string b, FileHashCache hashes)
    {
        IEnumerable<(string Name, string Sha256)> Files(string folder) => Directory
            .EnumerateFiles(folder)
            .Select(file => Path.GetFileName(file))
            .Where(name => name == "config.json" || name.Contains(".safetensors", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => (name, hashes.Hash(Path.Combine(folder, name))));

        return Files(a).SequenceEqual(Files(b));
    }

    /// <summary>The <c>_name_or_path</c> transformers records in a saved config.json, when there is one.</summary>
    private static string? ConfigNameOrPath(string model)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "config.json")));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("_name_or_path", out var value)
                && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
