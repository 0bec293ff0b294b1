using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoraBuild.Core.Hub;
using LoraBuild.Core.IO;
using LoraBuild.Core.Progress;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Fingerprints;

/// <summary>
/// The identity of a training run's result: SHA-256 over a canonical JSON of every input that can change
/// the adapter or its metrics — base model file hashes, dataset hashes, every setting with defaults
/// resolved, engine and libtorch versions, device kind. Paths, the adapter's name and the machine's
/// clock are not in it, so moving a project folder does not retrain; nor are the settings in
/// <see cref="SettingsThatKeepTheWeights"/>.
/// </summary>
public static class Fingerprint
{
    /// <summary>
    /// Spec settings (JSON names) that change how a run uses memory and time but not one bit of its result, so that
    /// turning them on or off leaves an adapter up to date: activation checkpointing recomputes exactly the activations
    /// it dropped (its gradients are bitwise those of a run without it; <c>ActivationCheckpointingTests</c>).
    /// </summary>
    public static IReadOnlySet<string> SettingsThatKeepTheWeights { get; } = new HashSet<string>(StringComparer.Ordinal) { "activationCheckpointing" };

    /// <summary>The fingerprint of a spec whose base model is a local folder (<c>baseModel.path</c>).</summary>
    /// <param name="progress">Told the bytes hashed (or found in the hash cache) of all the input files' bytes.</param>
    public static FingerprintResult Compute(TrainingSpec spec, FileHashCache hashes, RuntimeIdentity runtime, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var path = spec.BaseModel?.Path ?? throw new ArgumentException("The spec has no base model path; resolve a hub model first (BaseModelResolver).", nameof(spec));
        return Compute(spec, ResolvedBaseModel.Local(spec.ResolvePath(path)), hashes, runtime, progress);
    }

    /// <summary>
    /// The fingerprint with the base model already resolved to a local folder. A hub model's commit is part of it, so a
    /// branch that moves changes the fingerprint even where the files it needs did not change.
    /// </summary>
    /// <param name="progress">Told the bytes hashed (or found in the hash cache) of all the input files' bytes.</param>
    public static FingerprintResult Compute(
        TrainingSpec spec, ResolvedBaseModel baseModel, FileHashCache hashes, RuntimeIdentity runtime, IProgress<WorkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(runtime);

        var modelFiles = ModelFiles(baseModel).ToList();
        var datasets = spec.Datasets.Select(d => spec.ResolvePath(d.Path!)).ToList();
        var evalDatasets = spec.EvalDatasets.Select(d => spec.ResolvePath(d.Path!)).ToList();
        Action<long>? counted = null;
        if (progress is not null)
        {
            var total = modelFiles.Select(f => Path.Combine(baseModel.Directory, f)).Concat(datasets).Concat(evalDatasets).Sum(SizeOf);
            var done = 0L;
            counted = bytes => progress.Report(new WorkProgress(done += bytes, total));
        }

        var modelHashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var relative in modelFiles)
        {
            modelHashes[relative] = hashes.Hash(Path.Combine(baseModel.Directory, relative), counted);
        }

        var inputs = new InputHashes(
            modelHashes,
            [.. datasets.Select(file => hashes.Hash(file, counted))],
            [.. evalDatasets.Select(file => hashes.Hash(file, counted))],
            baseModel.Commit);
        var canonical = CanonicalText(spec, inputs, runtime);
        var value = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        return new FingerprintResult(value, inputs, canonical);
    }

    private static long SizeOf(string file) => File.Exists(file) ? new FileInfo(file).Length : 0;

    /// <summary>
    /// The settings part of the fingerprint: the spec as JSON without paths, the name or the settings that keep the
    /// weights (<see cref="SettingsThatKeepTheWeights"/>), with the optimizer's defaults resolved
    /// (<see cref="OptimizerDefaults.Resolve"/>), so that a default spelled out or left away is one fingerprint.
    /// </summary>
    public static JsonObject Settings(TrainingSpec spec)
    {
        var node = JsonNode.Parse(TrainingSpecJson.Serialize(OptimizerDefaults.Resolve(spec)))!.AsObject();
        node.Remove("name");
        node.Remove("baseModel");
        foreach (var setting in SettingsThatKeepTheWeights)
        {
            node.Remove(setting);
        }

        // The device setting's effect is the device kind, which the runtime identity carries (auto and cpu on a
        // machine without CUDA are one fingerprint; cuda:0 and cuda:1 another).
        node.Remove("device");

        node["datasets"] = new JsonArray([.. spec.Datasets.Select(DatasetSettings)]);
        node["evalDatasets"] = new JsonArray([.. spec.EvalDatasets.Select(DatasetSettings)]);
        return node;
    }

    private static JsonNode DatasetSettings(DatasetReference dataset) => new JsonObject
    {
        ["format"] = dataset.Format,
        ["chatTemplate"] = dataset.ChatTemplate,
        ["metric"] = dataset.Metric,
    };

    private static string CanonicalText(TrainingSpec spec, InputHashes inputs, RuntimeIdentity runtime)
    {
        var root = new JsonObject
        {
            ["fingerprintVersion"] = 1,
            ["settings"] = Settings(spec),
            ["baseModelFiles"] = new JsonObject([.. inputs.BaseModelFiles.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
            ["datasets"] = new JsonArray([.. inputs.Datasets.Select(h => (JsonNode?)h)]),
            ["evalDatasets"] = new JsonArray([.. inputs.EvalDatasets.Select(h => (JsonNode?)h)]),
            ["engineVersion"] = runtime.EngineVersion,
            ["libtorchVersion"] = runtime.LibTorchVersion,
            ["deviceKind"] = Devices.KindOf(spec.Device, runtime.DeviceKind),
        };
        if (inputs.BaseModelCommit is { } commit)
        {
            // Only hub models have the key, so the fingerprints of folder-based adapters stay what they were.
            root["baseModelCommit"] = commit;
        }

        return CanonicalJson.SortKeys(root)!.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }


    /// <summary>A hub snapshot's needed files, or every file of a local folder but those <see cref="IsIgnoredModelFile"/> skips.</summary>
    private static IEnumerable<string> ModelFiles(ResolvedBaseModel baseModel) =>
        baseModel.Files?.Select(file => file.Replace('\\', '/'))
        ?? Directory.EnumerateFiles(baseModel.Directory, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(baseModel.Directory, file).Replace('\\', '/'))
            .Where(relative => !IsIgnoredModelFile(relative));

    /// <summary>Files beside a model that never change its weights (docs, git metadata, our own caches).</summary>
    private static bool IsIgnoredModelFile(string relative) =>
        relative.StartsWith(".git/", StringComparison.Ordinal)
        || relative.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
        || relative == ".gitattributes";
}

/// <summary>The SHA-256 of every input file, as recorded in the manifest, and the commit a hub base model resolved to.</summary>
public sealed record InputHashes(
    IReadOnlyDictionary<string, string> BaseModelFiles,
    IReadOnlyList<string> Datasets,
    IReadOnlyList<string> EvalDatasets,
    string? BaseModelCommit = null);

/// <summary>The runtime facts that can change results: engine version, libtorch version, device kind (cpu, cuda).</summary>
/// <param name="DeviceKind">The kind of device (cpu or cuda) a spec's <c>auto</c> device resolves to with this engine; a spec
/// naming its device is fingerprinted with that device's kind (<see cref="Devices.KindOf"/>).</param>
public sealed record RuntimeIdentity(string EngineVersion, string LibTorchVersion, string DeviceKind);

public sealed record FingerprintResult(string Value, InputHashes Inputs, string CanonicalJson);
