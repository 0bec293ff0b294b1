using System.Text.Json.Serialization;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Manifests;

/// <summary>
/// <c>lorabuild.json</c>: what an adapter is, how it was made and how well it does. The build compares its
/// <see cref="Fingerprint"/> with the inputs' to decide whether to retrain.
/// </summary>
public sealed record TrainingManifest
{
    public const string FileName = "lorabuild.json";

    public int ManifestVersion { get; init; } = 1;

    public required string Fingerprint { get; init; }

    public required string AdapterName { get; init; }

    /// <summary>The spec with every default resolved, exactly as trained.</summary>
    public required TrainingSpec Spec { get; init; }

    public required ManifestInputs Inputs { get; init; }

    public required ManifestEngine Engine { get; init; }

    public required ManifestMetrics Metrics { get; init; }

    /// <summary>What every training prompt shared (see <see cref="ManifestPrompt"/>); absent when nothing was shared.</summary>
    public ManifestPrompt? Prompt { get; init; }
}

/// <summary>SHA-256 of every input file (dataset paths relative to the spec's folder, never absolute) and a hub base model's commit.</summary>
public sealed record ManifestInputs
{
    public required IReadOnlyDictionary<string, string> BaseModelFiles { get; init; }

    public required IReadOnlyList<ManifestFile> Datasets { get; init; }

    public required IReadOnlyList<ManifestFile> EvalDatasets { get; init; }

    /// <summary>The commit a hub base model's revision resolved to when it trained; absent for a local folder.</summary>
    public string? BaseModelCommit { get; init; }
}

public sealed record ManifestFile(string Path, string Sha256);

/// <summary>The software and machine that trained the adapter.</summary>
public sealed record ManifestEngine
{
    public required string LoraBuildVersion { get; init; }

    public required string TorchSharpVersion { get; init; }

    public required string LibTorchVersion { get; init; }

    /// <summary><c>cpu</c> or <c>cuda</c>.</summary>
    public required string Device { get; init; }

    public required int Threads { get; init; }

    /// <summary>What the native-runtime fix did on this machine (see <c>dotnet lora doctor</c>).</summary>
    public string? NativeFix { get; init; }
}

/// <summary>Metrics by name; names are snake_case as in <c>metrics.train.loss_final</c>.</summary>
public sealed record ManifestMetrics
{
    public required IReadOnlyDictionary<string, double> Train { get; init; }

    public required ManifestEvalMetrics Eval { get; init; }
}

public sealed record ManifestEvalMetrics
{
    [JsonPropertyName("before")]
    public required IReadOnlyDictionary<string, double> Before { get; init; }

    [JsonPropertyName("after")]
    public required IReadOnlyDictionary<string, double> After { get; init; }
}
