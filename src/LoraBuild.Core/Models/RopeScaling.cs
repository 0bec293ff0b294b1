namespace LoraBuild.Core.Models;

/// <summary>How rotary position frequencies are rescaled for long contexts.</summary>
public enum RopeScalingKind
{
    /// <summary>Positions are divided by <see cref="RopeScaling.Factor"/> (every frequency divided by it).</summary>
    Linear,

    /// <summary>Llama 3.1's scheme: low frequencies divided by the factor, high ones kept, a smooth blend between.</summary>
    Llama3,
}

/// <summary>The <c>rope_scaling</c> block of a Hugging Face <c>config.json</c>.</summary>
/// <param name="Kind">Which scheme.</param>
/// <param name="Factor">The scaling factor (<c>factor</c>).</param>
/// <param name="LowFrequencyFactor">Llama 3 only: <c>low_freq_factor</c>.</param>
/// <param name="HighFrequencyFactor">Llama 3 only: <c>high_freq_factor</c>.</param>
/// <param name="OriginalMaxPositionEmbeddings">Llama 3 only: <c>original_max_position_embeddings</c>.</param>
public sealed record RopeScaling(
    RopeScalingKind Kind,
    double Factor,
    double LowFrequencyFactor = 0,
    double HighFrequencyFactor = 0,
    int OriginalMaxPositionEmbeddings = 0);
