using System.Text.Json.Serialization;

namespace LoraBuild.Core.Specs;

/// <summary>
/// Everything that defines one adapter training run. MSBuild item metadata, a <c>lora.json</c> file and
/// CLI flags all map onto it; the job file the build hands the engine is this record serialized.
/// Setting names follow the MSBuild metadata (<c>Rank</c> ⇔ <c>rank</c>).
/// </summary>
public sealed record TrainingSpec
{
    /// <summary>The adapter's name; also its output folder name and its name inside a package.</summary>
    public string? Name { get; init; }

    public BaseModelReference? BaseModel { get; init; }

    public IReadOnlyList<DatasetReference> Datasets { get; init; } = [];

    /// <summary>Held-out data: loss and generation metrics before and after training.</summary>
    public IReadOnlyList<DatasetReference> EvalDatasets { get; init; } = [];

    /// <summary><c>lora</c> trains adapters on frozen weights; <c>full</c> trains every parameter.</summary>
    public string Mode { get; init; } = TrainingModes.Lora;

    public int Rank { get; init; } = 8;

    public double Alpha { get; init; } = 16;

    public double Dropout { get; init; } = 0.05;

    /// <summary>Comma-separated module names, <c>all-linear</c>, or a regular expression in <c>re:</c>…</summary>
    public string TargetModules { get; init; } = "all-linear";

    /// <summary>Scale by alpha/√r instead of alpha/r.</summary>
    public bool UseRslora { get; init; }

    /// <summary>Decoder layer indices that get adapters; empty means all.</summary>
    public IReadOnlyList<int> LayersToTransform { get; init; } = [];

    /// <summary>Per-module rank overrides keyed by a regular expression over module paths, as in PEFT.</summary>
    public IReadOnlyDictionary<string, int> RankPattern { get; init; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Per-module alpha overrides keyed by a regular expression over module paths, as in PEFT.</summary>
    public IReadOnlyDictionary<string, double> AlphaPattern { get; init; } = new SortedDictionary<string, double>(StringComparer.Ordinal);

    public string Optimizer { get; init; } = Optimizers.AdamW;

    public double LearningRate { get; init; } = 3e-4;

    public double WeightDecay { get; init; }

    /// <summary>SGD momentum (the other optimizers ignore it).</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Nesterov momentum for SGD.</summary>
    public bool Nesterov { get; init; }

    /// <summary>
    /// The momentum coefficient of AdamW, Lion and Sophia; null means the optimizer's own default
    /// (<see cref="OptimizerDefaults"/>: 0.9, 0.9, 0.965).
    /// </summary>
    public double? Beta1 { get; init; }

    /// <summary>
    /// AdamW's second-moment, Lion's momentum and Sophia's Hessian coefficient; null means the optimizer's own default
    /// (<see cref="OptimizerDefaults"/>: 0.999, 0.99, 0.99).
    /// </summary>
    public double? Beta2 { get; init; }

    /// <summary>The denominator's guard in AdamW and Sophia; null means the optimizer's own default (1e-8, 1e-15).</summary>
    public double? Epsilon { get; init; }

    /// <summary>Sophia's clipping threshold ρ; null means 0.04. Sophia's steps are at most lr per coordinate.</summary>
    public double? Rho { get; init; }

    /// <summary>Sophia re-estimates its diagonal Hessian after every this many optimizer steps; null means 10.</summary>
    public int? HessianUpdateInterval { get; init; }

    public string Scheduler { get; init; } = Schedulers.Cosine;

    public int WarmupSteps { get; init; }

    /// <summary>The floor a cosine or linear schedule decays to.</summary>
    public double MinLearningRate { get; init; }

    public int Epochs { get; init; } = 1;

    /// <summary>When set, training stops after this many optimizer steps, whatever <see cref="Epochs"/> says.</summary>
    public int? MaxSteps { get; init; }

    public int BatchSize { get; init; } = 8;

    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Clip the global gradient norm to this; 0 disables clipping.</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    public int MaxSequenceLength { get; init; } = 256;

    /// <summary>One seed for data order, dropout and LoRA initialization.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Sort 50 batches' worth of examples by length before batching, to save padding. Off by default (as in Hugging
    /// Face's Trainer): when example length goes with the answer, grouped batches each hold one kind of answer.
    /// </summary>
    public bool GroupByLength { get; init; }

    /// <summary>Compute the loss on prompt tokens as well as response tokens.</summary>
    public bool TrainOnPrompt { get; init; }

    /// <summary>
    /// How the frozen base weights are stored: <c>none</c> keeps them as loaded; <c>nf4</c> holds every decoder linear
    /// layer in 4-bit NormalFloat with double-quantized block scales (QLoRA), the output head and embeddings as loaded;
    /// <c>fp4</c> does the same with bitsandbytes' 4-bit float values; <c>int8</c> holds them as int8 codes with a
    /// float32 absmax per output row.
    /// </summary>
    public string Quantization { get; init; } = Quantizations.None;

    /// <summary><c>fp32</c>, or <c>bf16</c> base weights with fp32 adapter parameters and optimizer state.</summary>
    public string Precision { get; init; } = Precisions.Fp32;

    /// <summary>
    /// Recompute each decoder layer's activations during the backward pass instead of keeping them from the forward
    /// pass: activation memory of one layer instead of all of them, for about one more forward pass per step. The
    /// gradients are bitwise those of a run without it, so it is not part of the fingerprint.
    /// </summary>
    public bool ActivationCheckpointing { get; init; }

    /// <summary>
    /// Where the run computes (<see cref="Devices"/>): <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>. The setting
    /// is not part of the fingerprint; the kind of device it resolves to is (see <c>RuntimeIdentity.DeviceKind</c>).
    /// </summary>
    public string Device { get; init; } = Devices.Auto;

    /// <summary>New tokens generated per held-out prompt when computing generation metrics.</summary>
    public int EvalMaxNewTokens { get; init; } = 64;

    /// <summary>Where the spec came from (a file path or an MSBuild item); not part of the fingerprint.</summary>
    [JsonIgnore]
    public string? SourceLocation { get; init; }

    /// <summary>The folder relative paths in the spec resolve against; not part of the fingerprint.</summary>
    [JsonIgnore]
    public string? BaseDirectory { get; init; }

    /// <summary>
    /// Where settings given outside <see cref="SourceLocation"/> came from, by setting name (<c>rank</c> → <c>--rank</c>
    /// for a command-line flag); errors about those settings point there. Not part of the fingerprint.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string> SettingSources { get; init; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, string>.Empty;

    /// <summary>
    /// Where to blame a problem with <paramref name="settings"/>: the source of the first of them that came from outside
    /// the spec (see <see cref="SettingSources"/>), else the spec itself.
    /// </summary>
    public string LocationOf(params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var setting in settings)
        {
            if (SettingSources.TryGetValue(setting, out var source))
            {
                return source;
            }
        }

        return SourceLocation ?? "spec";
    }

    /// <summary>An absolute path for a path written in the spec.</summary>
    public string ResolvePath(string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory ?? Directory.GetCurrentDirectory(), path));
}

/// <summary>
/// A base model by local folder (Hugging Face layout) or by hub id and revision; in JSON also a string,
/// <c>"hf://org/name@rev"</c> or a folder.
/// </summary>
[JsonConverter(typeof(BaseModelReferenceJsonConverter))]
public sealed record BaseModelReference
{
    public const string HubScheme = "hf://";

    /// <summary>A local folder; when set, it is used and the hub id is only recorded.</summary>
    public string? Path { get; init; }

    /// <summary><c>org/name</c> on the Hugging Face Hub; without <see cref="Path"/> the model is fetched into the Hugging Face cache.</summary>
    public string? HubId { get; init; }

    /// <summary>A branch, tag or commit of <see cref="HubId"/>; <c>main</c> when not set.</summary>
    public string? Revision { get; init; }

    /// <summary><c>hf://org/name</c> or <c>hf://org/name@rev</c> as a hub model, anything else as a folder (checked by the validator).</summary>
    public static BaseModelReference FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(HubScheme, StringComparison.Ordinal))
        {
            return new BaseModelReference { Path = text };
        }

        var rest = text[HubScheme.Length..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        return at < 0 ? new BaseModelReference { HubId = rest } : new BaseModelReference { HubId = rest[..at], Revision = rest[(at + 1)..] };
    }
}

/// <summary>A dataset file and how to read it.</summary>
public sealed record DatasetReference
{
    public string? Path { get; init; }

    /// <summary><c>alpaca</c>, <c>chat</c> or <c>text</c>.</summary>
    public string Format { get; init; } = "alpaca";

    /// <summary>For chat data: chatml, llama-2, llama-3, zephyr; empty means the one in tokenizer_config.json.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>For evaluation data: the generation metric (exact-match, contains, …).</summary>
    public string? Metric { get; init; }
}
