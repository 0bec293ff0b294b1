using System.Text.Json.Serialization;

namespace LoraBuild.Engine.Training;

/// <summary>The summary of a training run that goes into the manifest (<c>metrics.train.*</c>).</summary>
public sealed record TrainingMetrics
{
    /// <summary>How many of the last steps <see cref="LossFinal"/> averages.</summary>
    public const int FinalLossWindow = 10;

    /// <summary>Optimizer steps taken.</summary>
    [JsonPropertyName("steps")]
    public required int Steps { get; init; }

    /// <summary>Tokens the loss was computed on.</summary>
    [JsonPropertyName("target_tokens")]
    public required long TargetTokens { get; init; }

    /// <summary>Real (not padding) tokens processed, prompts included.</summary>
    [JsonPropertyName("total_tokens")]
    public required long TotalTokens { get; init; }

    /// <summary>The first step's loss.</summary>
    [JsonPropertyName("loss_first")]
    public required double LossFirst { get; init; }

    /// <summary>The mean loss of the last <see cref="FinalLossWindow"/> steps (all of them when there are fewer).</summary>
    [JsonPropertyName("loss_final")]
    public required double LossFinal { get; init; }

    /// <summary><see cref="TotalTokens"/> per second of <see cref="WallSeconds"/>.</summary>
    [JsonPropertyName("tokens_per_second")]
    public required double TokensPerSecond { get; init; }

    /// <summary>Wall time spent in optimizer steps.</summary>
    [JsonPropertyName("wall_seconds")]
    public required double WallSeconds { get; init; }

    /// <summary>
    /// The process's peak resident memory (Linux <c>VmHWM</c>) when training on the CPU; null elsewhere, and on CUDA,
    /// where TorchSharp does not expose the allocator's peak.
    /// </summary>
    [JsonPropertyName("peak_memory_bytes")]
    public long? PeakMemoryBytes { get; init; }

    /// <summary>The process's resident memory before the base model was loaded (runtime, libraries); null where unknown.</summary>
    [JsonPropertyName("baseline_memory_bytes")]
    public long? BaselineMemoryBytes { get; init; }

    /// <summary>The counted parts of the memory; null when not counted.</summary>
    [JsonPropertyName("memory")]
    public MemoryShares? Memory { get; init; }

    /// <summary>
    /// What the peak holds beyond the baseline and the counted shares: activations kept for the backward pass, their
    /// gradients, the logits, and allocator slack. Null unless the peak, the baseline and the shares are all known.
    /// </summary>
    [JsonIgnore]
    public long? ActivationsAndOtherBytes =>
        PeakMemoryBytes is { } peak && BaselineMemoryBytes is { } baseline && Memory is { } shares
            ? Math.Max(0, peak - baseline - shares.Total)
            : null;

    /// <summary>The metrics by their snake_case names, as the manifest's <c>metrics.train</c> holds them; memory figures that are null are left out.</summary>
    public IReadOnlyDictionary<string, double> ToManifestValues()
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            ["steps"] = Steps,
            ["target_tokens"] = TargetTokens,
            ["total_tokens"] = TotalTokens,
            ["loss_first"] = LossFirst,
            ["loss_final"] = LossFinal,
            ["tokens_per_second"] = TokensPerSecond,
            ["wall_seconds"] = WallSeconds,
        };
        if (PeakMemoryBytes is { } peak)
        {
            values["peak_memory_bytes"] = peak;
        }

        if (BaselineMemoryBytes is { } baseline)
        {
            values["memory_baseline_bytes"] = baseline;
        }

        if (Memory is { } shares)
        {
            values["memory_frozen_weights_bytes"] = shares.FrozenWeightBytes;
            values["memory_trainable_bytes"] = shares.TrainableBytes;
            values["memory_gradients_bytes"] = shares.GradientBytes;
            values["memory_optimizer_state_bytes"] = shares.OptimizerStateBytes;
        }

        if (ActivationsAndOtherBytes is { } rest)
        {
            values["memory_activations_and_other_bytes"] = rest;
        }

        return values;
    }

    /// <summary>The metrics of the steps in <paramref name="history"/>.</summary>
    public static TrainingMetrics From(TrainingHistory history, long? peakMemoryBytes)
    {
        ArgumentNullException.ThrowIfNull(history);
        var steps = history.Steps;
        var last = steps.Skip(Math.Max(0, steps.Count - FinalLossWindow)).ToList();
        return new TrainingMetrics
        {
            Steps = steps.Count,
            TargetTokens = history.TargetTokens,
            TotalTokens = history.TotalTokens,
            LossFirst = steps.Count > 0 ? steps[0].Loss : double.NaN,
            LossFinal = last.Count > 0 ? last.Average(step => step.Loss) : double.NaN,
            TokensPerSecond = history.Seconds > 0 ? history.TotalTokens / history.Seconds : 0,
            WallSeconds = history.Seconds,
            PeakMemoryBytes = peakMemoryBytes,
        };
    }
}
