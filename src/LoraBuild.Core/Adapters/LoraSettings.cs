using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Adapters;

/// <summary>
/// What defines a LoRA adapter's shape and scaling, with PEFT's meaning for every setting. It comes from a training spec
/// (<see cref="FromSpec"/>) or from an adapter's <c>adapter_config.json</c> (<see cref="AdapterConfig.Lora"/>).
/// </summary>
public sealed record LoraSettings
{
    /// <summary>The default rank <c>r</c>.</summary>
    public required int Rank { get; init; }

    /// <summary>The default <c>lora_alpha</c>.</summary>
    public required double Alpha { get; init; }

    /// <summary>Dropout probability on the LoRA path's input, in [0, 1); applied only in training mode.</summary>
    public double Dropout { get; init; }

    public required AdapterTargets Targets { get; init; }

    /// <summary>Scale by alpha/√r (rank-stabilized LoRA) instead of alpha/r.</summary>
    public bool UseRslora { get; init; }

    /// <summary>Decoder layer indices (<c>model.layers.&lt;i&gt;.</c>) that get adapters; null means every layer.</summary>
    public IReadOnlyList<int>? LayersToTransform { get; init; }

    /// <summary>
    /// Rank overrides keyed by regular expressions over module paths. The first key (in enumeration order) whose
    /// pattern matches a trailing run of a module's path segments gives its rank.
    /// </summary>
    public IReadOnlyDictionary<string, int> RankPattern { get; init; } = EmptyRanks;

    /// <summary>Alpha overrides, matched like <see cref="RankPattern"/>.</summary>
    public IReadOnlyDictionary<string, double> AlphaPattern { get; init; } = EmptyAlphas;

    private static IReadOnlyDictionary<string, int> EmptyRanks { get; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, double> EmptyAlphas { get; } = new SortedDictionary<string, double>(StringComparer.Ordinal);

    /// <summary>The LoRA settings of a training spec. Pattern keys are matched in ordinal order, the order the written <c>adapter_config.json</c> lists them in.</summary>
    /// <exception cref="LoraException">A setting is out of range or a pattern does not compile (LORA1063, LORA1066, LORA1067).</exception>
    public static LoraSettings FromSpec(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var at = spec.SourceLocation ?? "spec";
        var settings = new LoraSettings
        {
            Rank = spec.Rank,
            Alpha = spec.Alpha,
            Dropout = spec.Dropout,
            Targets = AdapterTargets.ParseSpec(spec.TargetModules, $"{at} [targetModules]"),
            UseRslora = spec.UseRslora,
            LayersToTransform = spec.LayersToTransform.Count == 0 ? null : [.. spec.LayersToTransform.Distinct().Order()],
            RankPattern = new SortedDictionary<string, int>(spec.RankPattern.ToDictionary(), StringComparer.Ordinal),
            AlphaPattern = new SortedDictionary<string, double>(spec.AlphaPattern.ToDictionary(), StringComparer.Ordinal),
        };
        settings.Validate(at);
        return settings;
    }

    /// <summary>The scale of the LoRA path for a module with rank <paramref name="rank"/> and alpha <paramref name="alpha"/>, as PEFT computes it.</summary>
    public double ScaleFor(int rank, double alpha) => UseRslora ? alpha / Math.Sqrt(rank) : alpha / rank;

    /// <summary>The rank for the module at <paramref name="path"/>: the first matching <see cref="RankPattern"/> key's value, or <see cref="Rank"/>.</summary>
    public int RankFor(string path) => Lookup(RankPattern, path, Rank);

    /// <summary>The alpha for the module at <paramref name="path"/>: the first matching <see cref="AlphaPattern"/> key's value, or <see cref="Alpha"/>.</summary>
    public double AlphaFor(string path) => Lookup(AlphaPattern, path, Alpha);

    /// <summary>Checks every value; <paramref name="location"/> names the file or spec in errors.</summary>
    /// <exception cref="LoraException">A value is out of range (LORA1063) or a pattern does not compile (LORA1066).</exception>
    public void Validate(string? location)
    {
        ArgumentNullException.ThrowIfNull(Targets);
        Require(Rank > 0, "r", $"must be a positive integer, not {Rank}", location);
        Require(double.IsFinite(Alpha) && Alpha > 0, "lora_alpha", $"must be a positive number, not {Alpha}", location);
        Require(Dropout is >= 0 and < 1, "lora_dropout", $"must be in [0, 1), not {Dropout}", location);
        if (LayersToTransform is { } layers)
        {
            Require(layers.Count > 0 && layers.All(layer => layer >= 0), "layers_to_transform", "must list layer indices, none negative", location);
            Require(Targets.Pattern is null, "layers_to_transform", "cannot be used with a regular-expression target (PEFT refuses it too); put the layers in the expression", location);
        }

        foreach (var (key, rank) in RankPattern)
        {
            ModulePathRegex.Compile(key, "rank_pattern", location);
            Require(rank > 0, "rank_pattern", $"value for '{key}' must be a positive integer, not {rank}", location);
        }

        foreach (var (key, alpha) in AlphaPattern)
        {
            ModulePathRegex.Compile(key, "alpha_pattern", location);
            Require(double.IsFinite(alpha) && alpha > 0, "alpha_pattern", $"value for '{key}' must be a positive number, not {alpha}", location);
        }
    }

    private static T Lookup<T>(IReadOnlyDictionary<string, T> patterns, string path, T fallback)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var (key, value) in patterns)
        {
            if (ModulePathRegex.PatternKeyMatches(key, path))
            {
                return value;
            }
        }

        return fallback;
    }

    private static void Require(bool valid, string field, string problem, string? location)
    {
        if (!valid)
        {
            throw new LoraException(AdapterErrorCodes.FieldInvalid, $"'{field}' {problem}.", location);
        }
    }
}
