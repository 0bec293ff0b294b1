using LoraBuild.Core.Models;

namespace LoraBuild.Engine.Models;

/// <summary>The inverse frequencies of rotary position embeddings, with the rescaling a config asks for.</summary>
public static class RotaryFrequencies
{
    /// <summary>
    /// <c>1 / theta^(2i / headDim)</c> for i in 0 .. headDim/2 − 1, rescaled by <paramref name="scaling"/> when given.
    /// </summary>
    public static double[] InverseFrequencies(int headDim, double theta, RopeScaling? scaling = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headDim);
        if (headDim % 2 != 0)
        {
            throw new ArgumentException($"Rotary embeddings need an even head size, not {headDim}.", nameof(headDim));
        }

        var frequencies = new double[headDim / 2];
        for (var i = 0; i < frequencies.Length; i++)
        {
            frequencies[i] = 1.0 / Math.Pow(theta, 2.0 * i / headDim);
        }

        return scaling?.Kind switch
        {
            null => frequencies,
            RopeScalingKind.Linear => [.. frequencies.Select(frequency => frequency / scaling.Factor)],
            RopeScalingKind.Llama3 => [.. frequencies.Select(frequency => ScaleLlama3(frequency, scaling))],
            _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling.Kind, "Unknown rope scaling kind."),
        };
    }

    /// <summary>The inverse frequencies for a model configuration.</summary>
    public static double[] InverseFrequencies(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return InverseFrequencies(config.HeadDim, config.RopeTheta, config.RopeScaling);
    }

    // Llama 3.1: wavelengths longer than the original context / low_freq_factor are slowed by the factor,
    // those shorter than original context / high_freq_factor are kept, and the band between is blended linearly
    // in (original context / wavelength).
    private static double ScaleLlama3(double frequency, RopeScaling scaling)
    {
        var originalContext = (double)scaling.OriginalMaxPositionEmbeddings;
        var wavelength = 2 * Math.PI / frequency;
        var lowFrequencyWavelength = originalContext / scaling.LowFrequencyFactor;
        var highFrequencyWavelength = originalContext / scaling.HighFrequencyFactor;

        if (wavelength < highFrequencyWavelength)
        {
            return frequency;
        }

        if (wavelength > lowFrequencyWavelength)
        {
            return frequency / scaling.Factor;
        }

        var smooth = ((originalContext / wavelength) - scaling.LowFrequencyFactor)
            / (scaling.HighFrequencyFactor - scaling.LowFrequencyFactor);
        return ((1 - smooth) * frequency / scaling.Factor) + (smooth * frequency);
    }
}
