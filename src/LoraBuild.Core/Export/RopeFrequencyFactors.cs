namespace LoraBuild.Core.Export;

/// <summary>
/// Llama 3.1's rope scaling as llama.cpp takes it: one factor per rotary frequency (the <c>rope_freqs</c> tensor), by
/// which llama.cpp divides that frequency. Wavelengths shorter than the original context over
/// <c>high_freq_factor</c> keep their frequency, longer than it over <c>low_freq_factor</c> are divided by
/// <c>factor</c>, and those between blend smoothly, as in Meta's reference code.
/// </summary>
public static class RopeFrequencyFactors
{
    public static float[] Llama3(double theta, int headDim, double factor, double lowFrequencyFactor, double highFrequencyFactor, int originalContext)
    {
        var lowFrequencyWavelength = originalContext / lowFrequencyFactor;
        var highFrequencyWavelength = originalContext / highFrequencyFactor;
        var factors = new float[headDim / 2];
        for (var i = 0; i < factors.Length; i++)
        {
            var frequency = 1.0f / MathF.Pow((float)theta, 2f * i / headDim);
            var wavelength = 2 * Math.PI / frequency;
            if (wavelength < highFrequencyWavelength)
            {
                factors[i] = 1f;
            }
            else if (wavelength > lowFrequencyWavelength)
            {
                factors[i] = (float)factor;
            }
            else
            {
                var smooth = (originalContext / wavelength - lowFrequencyFactor) / (highFrequencyFactor - lowFrequencyFactor);
                factors[i] = (float)(1 / ((1 - smooth) / factor + smooth));
            }
        }

        return factors;
    }
}
