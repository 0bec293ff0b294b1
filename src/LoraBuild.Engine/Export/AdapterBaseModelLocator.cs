using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Manifests;
using LoraBuild.Engine.Checkpoints;

namespace LoraBuild.Engine.Export;

/// <summary>
/// Finds the base model of an adapter folder when the user did not name it: <c>base_model_name_or_path</c> when it is a
/// local folder, or the base model path in <c>lorabuild.json</c>, which is relative to the spec or project it was written
/// in, resolved against each of <see cref="ProjectFolderCandidates"/>. A candidate found through the manifest is taken only when its
/// <c>config.json</c> has the hash the manifest recorded. An adapter trained on a hub model (no folder, a hub id and a
/// commit in the manifest) uses that commit's snapshot in the Hugging Face cache.
/// </summary>
public static class AdapterBaseModelLocator
{
    /// <exception cref="LoraException">LORA4206: no candidate holds the adapter's base model.</exception>
    public static string Find(string adapterDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        var adapter = Path.GetFullPath(adapterDirectory);
        var config = AdapterConfigJson.Read(Path.Combine(adapter, AdapterConfigJson.FileName));
        if (config.BaseModelNameOrPath is { Length: > 0 } named)
        {
            foreach (var candidate in Resolve(named, adapter))
            {
                if (File.Exists(Path.Combine(candidate, "config.json")))
                {
                    return candidate;
                }
            }
        }

        var manifestPath = Path.Combine(adapter, TrainingManifest.FileName);
        if (File.Exists(manifestPath))
        {
            var manifest = TrainingManifestJson.ReadFile(manifestPath);
            if (manifest.Spec.BaseModel?.Path is { Length: > 0 } path
                && manifest.Inputs.BaseModelFiles.TryGetValue("config.json", out var configHash))
            {
                var hashes = new FileHashCache(AdapterBaseModelCheck.DefaultHashCacheFile);
                foreach (var candidate in Resolve(path, adapter))
                {
                    var candidateConfig = Path.Combine(candidate, "config.json");
                    if (File.Exists(candidateConfig) && string.Equals(hashes.Hash(candidateConfig), configHash, StringComparison.OrdinalIgnoreCase))
                    {
                        return candidate;
                    }
                }
            }

            if (BaseModelResolver.IsHubModel(manifest.Spec))
            {
                // Trained on a hub model: the snapshot of the recorded commit in the Hugging Face cache (fetched when missing).
                var pinned = BaseModelResolver.PinnedTo(manifest.Spec, manifest.Inputs.BaseModelCommit);
                return BaseModelResolver.Resolve(pinned, settings: null, progress: null, CancellationToken.None).Directory;
            }
        }

        throw new LoraException(
            ExportErrorCodes.BaseModelNotFound,
            $"The adapter's base model ('{config.BaseModelNameOrPath ?? "not recorded"}') is not a folder found from here or above the adapter; "
                + "name it with --model (the q/k reordering needs its head counts).",
            adapterDirectory);
    }

    private static IEnumerable<string> Resolve(string path, string adapter) =>
        Path.IsPathRooted(path) ? [path] : ProjectFolderCandidates.Of(adapter).Select(folder => Path.GetFullPath(Path.Combine(folder, path)));
}
