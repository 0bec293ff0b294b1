using System.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Specs;
using Microsoft.Build.Framework;

namespace LoraBuild.Tasks;

/// <summary>
/// A <c>LoraBaseModel</c> named by <c>HubId</c> (and <c>Revision</c>) alone: the task resolves the revision to a commit
/// and brings the files the model needs into the Hugging Face cache (the same cache Python uses, HF_* variables as in
/// huggingface_hub), in the build process: it is HTTP and hashing only, no native code. The commit goes into the
/// fingerprint, and the engine's job names the commit instead of the branch, so a branch that moves during the build
/// cannot change what is trained.
/// </summary>
public sealed partial class LoraTrain
{
    private readonly Dictionary<string, ResolvedBaseModel> _hubBases = new(StringComparer.Ordinal);
    /// <summary>The spec with a hub base model's revision pinned to the commit it resolves to now; a folder-based spec as it is.</summary>
    private TrainingSpec PinHubBaseModel(TrainingSpec spec)
    {
        if (!BaseModelResolver.IsHubModel(spec))
        {
            return spec;
        }

        var reference = BaseModelResolver.HubReference(spec);
        Log.LogMessage(MessageImportance.High, "LoraBuild: resolving {0}@{1} through the Hugging Face cache.", reference.RepoId, reference.Revision);
        // A cancelled build stops a download at its next read (its partial file is kept).
        var resolved = BaseModelResolver.Resolve(spec, settings: null, new DownloadLog(this), _cancellation);

        var pinned = spec with { BaseModel = spec.BaseModel! with { Revision = resolved.Commit } };
        _hubBases[HubKey(pinned)] = resolved;
        Log.LogMessage(MessageImportance.High, "LoraBuild: {0}@{1} is commit {2} ({3}).", reference.RepoId, reference.Revision, resolved.Commit, resolved.Directory);
        return pinned;
    }

    private FingerprintResult FingerprintOf(TrainingSpec spec, FileHashCache hashes, RuntimeIdentity identity)
    {
        var log = new HashLog(this, spec.Name ?? "adapter");
        return BaseModelResolver.IsHubModel(spec)
            ? Fingerprint.Compute(spec, _hubBases[HubKey(spec)], hashes, identity, log)
            : Fingerprint.Compute(spec, hashes, identity, log);
    }

    /// <summary>The base model's folder: the item's Path, or the hub snapshot it was resolved to.</summary>
    private string BaseModelFolder(TrainingSpec spec) =>
        BaseModelResolver.IsHubModel(spec) ? _hubBases[HubKey(spec)].Directory : spec.ResolvePath(spec.BaseModel!.Path!);

    private static string HubKey(TrainingSpec spec) => $"{spec.BaseModel!.HubId}@{spec.BaseModel.Revision}";

    /// <summary>Download progress as build messages: each file when it starts, every few seconds, and when it is verified.</summary>
    private sealed class DownloadLog(LoraTrain task) : IProgress<HubDownloadProgress>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
        private readonly Dictionary<string, Stopwatch> _lastLine = new(StringComparer.Ordinal);

        public void Report(HubDownloadProgress value)
        {
            var first = !_lastLine.TryGetValue(value.File, out var clock);
            if (first || value.Completed || clock!.Elapsed >= Interval)
            {
                task.Log.LogMessage(MessageImportance.High, "LoraBuild: {0}", value.Describe());
                _lastLine[value.File] = Stopwatch.StartNew();
            }
        }
    }
}
