using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.IO;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Tasks.Engine;

/// <summary>
/// The engine's <see cref="RuntimeIdentity"/> (engine version, libtorch version, device), which every fingerprint
/// includes and which only the engine can tell, since the task never loads libtorch. It is learned from the engine
/// itself (from the manifest of an adapter it just trained, or by asking <c>dotnet-lora engine-info</c>) and kept in
/// <c>obj/</c> under a key naming that exact engine (its files' hashes, or the tool manifest), so an up-to-date build
/// starts no process and a changed engine is asked again.
/// </summary>
internal sealed class EngineRuntime
{
    // Same camelCase names as the JSON `dotnet-lora engine-info --json` prints.
    private static readonly JsonSerializerOptions s_options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    private readonly string _cacheFile;
    private readonly string _key;

    public EngineRuntime(string cacheFile, string key)
    {
        _cacheFile = cacheFile;
        _key = key;
    }

    /// <summary>The identity remembered for this engine, or null when it has to be asked.</summary>
    public RuntimeIdentity? TryGetCached()
    {
        try
        {
            var cached = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllText(_cacheFile), s_options);
            return cached is { Key: var key, Runtime: { } runtime } && key == _key ? runtime : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public void Remember(RuntimeIdentity runtime) =>
        AtomicFile.WriteAllText(_cacheFile, JsonSerializer.Serialize(new CacheEntry(_key, runtime), s_options));

    public void Forget()
    {
        if (File.Exists(_cacheFile))
        {
            File.Delete(_cacheFile);
        }
    }

    /// <summary>The identity an engine recorded in the manifest of an adapter it has just trained.</summary>
    public static RuntimeIdentity FromManifest(TrainingManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return new RuntimeIdentity(manifest.Engine.LoraBuildVersion, manifest.Engine.LibTorchVersion, manifest.Engine.Device);
    }

    /// <summary>Parses the output of <c>dotnet-lora engine-info --json</c>.</summary>
    public static RuntimeIdentity Parse(string output, string engine)
    {
        var start = output.IndexOf('{', StringComparison.Ordinal);
        try
        {
            var runtime = start < 0 ? null : JsonSerializer.Deserialize<RuntimeIdentity>(output[start..], s_options);
            if (runtime is { EngineVersion.Length: > 0, LibTorchVersion.Length: > 0, DeviceKind.Length: > 0 })
            {
                return runtime;
            }
        }
        catch (JsonException)
        {
        }

        throw new LoraException(
            EngineErrorCodes.EngineInfoUnreadable,
            $"'engine-info --json' did not answer with engineVersion, libtorchVersion and deviceKind (is the engine older than the Sdk?); it printed: {output.Trim()}",
            engine);
    }

    /// <summary>
    /// A key that changes whenever the engine could: for an engine file, the hashes of that file, its deps.json and
    /// LoraBuild.Engine.dll beside it; for a command, the command and the nearest dotnet tool manifest's hash
    /// (a tool version is immutable once published).
    /// </summary>
    public static string Key(EngineCommand command, string? enginePath, string projectDirectory, FileHashCache hashes)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(hashes);
        var parts = new List<string> { "command=" + command.Description };
        if (!string.IsNullOrWhiteSpace(enginePath))
        {
            var file = command.Description;
            var directory = Path.GetDirectoryName(file)!;
            foreach (var companion in new[] { file, Path.ChangeExtension(file, ".deps.json"), Path.Combine(directory, "LoraBuild.Engine.dll") })
            {
                if (File.Exists(companion))
                {
                    parts.Add($"{Path.GetFileName(companion)}={hashes.Hash(companion)}");
                }
            }
        }
        else if (FindToolManifest(projectDirectory) is { } manifest)
        {
            parts.Add($"tools={manifest}:{hashes.Hash(manifest)}");
        }

        return string.Join(';', parts);
    }

    private static string? FindToolManifest(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            foreach (var candidate in new[] { Path.Combine(current.FullName, ".config", "dotnet-tools.json"), Path.Combine(current.FullName, "dotnet-tools.json") })
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private sealed record CacheEntry(string Key, RuntimeIdentity Runtime);

}
