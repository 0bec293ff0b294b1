using LoraBuild.Core.Export;

namespace LoraBuild.Core.Tests.Export;

public class RopeFrequencyFactorsTests
{
    [Fact]
    public void Llama31FactorsFollowMetasReference()
    {
        var factors = RopeFrequencyFactors.Llama3(theta: 500000, headDim: 128, factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContext: 8192);

        Assert.Equal(64, factors.Length);
        Assert.Equal(Reference(500000, 128, 8, 1, 4, 8192), factors.Select(value => (double)value), new RelativeComparer(1e-5));
    }

    [Fact]
    public void HighFrequenciesKeepTheirFactorLowOnesAreDividedByEight()
    {
        // Wavelengths 2π·500000^(2i/128): i ≤ 28 are under 8192/4 = 2048 (i = 28: 1956), i ≥ 35 over 8192 (i = 35: 8219).
        var factors = RopeFrequencyFactors.Llama3(500000, 128, 8, 1, 4, 8192);

        Assert.All(factors[..29], value => Assert.Equal(1f, value));
        Assert.All(factors[35..], value => Assert.Equal(8f, value));
        Assert.All(factors[29..35], value => Assert.InRange(value, 1.0001f, 7.9999f));
        Assert.Equal(factors[29..35].Order(), factors[29..35]);
        Assert.Equal(1f, factors[0]);
        Assert.Equal(8f, factors[^1]);
    }

    [Fact]
    public void TheSmoothBandBlendsBetweenTheTwoWavelengths()
    {
        // i = 32: wavelength 4442.88; smooth = (8192 / 4442.88 − 1) / 3 = 0.2813; factor = 1 / (0.7187 / 8 + 0.2813) = 2.6944.
        var factors = RopeFrequencyFactors.Llama3(500000, 128, 8, 1, 4, 8192);

        var wavelength = 2 * Math.PI * Math.Pow(500000, 64.0 / 128);
        var smooth = (8192 / wavelength - 1) / 3;
        Assert.Equal(1 / ((1 - smooth) / 8 + smooth), factors[32], 1e-4);
        Assert.Equal(2.6944, factors[32], 1e-3);
    }

    [Fact]
    public void OtherSettingsAreUsed()
    {
        var factors = RopeFrequencyFactors.Llama3(theta: 10000, headDim: 64, factor: 4, lowFrequencyFactor: 1, highFrequencyFactor: 2, originalContext: 2048);

        Assert.Equal(32, factors.Length);
        Assert.Equal(Reference(10000, 64, 4, 1, 2, 2048), factors.Select(value => (double)value), new RelativeComparer(1e-5));
        Assert.Equal(4f, factors[^1]);
        Assert.Equal(1f, factors[0]);
    }

    /// <summary>Meta's <c>apply_scaling</c> (Llama 3.1 reference code), as the ratio of each original frequency to its scaled one.</summary>
    private static double[] Reference(double theta, int headDim, double scaleFactor, double lowFreqFactor, double highFreqFactor, int oldContextLength)
    {
        var lowFreqWavelength = oldContextLength / lowFreqFactor;
        var highFreqWavelength = oldContextLength / highFreqFactor;
        var ratios = new double[headDim / 2];
        for (var i = 0; i < ratios.Length; i++)
        {
            var frequency = 1.0 / Math.Pow(theta, (double)(2 * i) / headDim);
            var wavelength = 2 * Math.PI / frequency;
            double scaled;
            if (wavelength < highFreqWavelength)
            {
                scaled = frequency;
            }
            else if (wavelength > lowFreqWavelength)
            {
                scaled = frequency / scaleFactor;
            }
            else
            {
                var smooth = (oldContextLength / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                scaled = (1 - smooth) * frequency / scaleFactor + smooth * frequency;
            }

            ratios[i] = frequency / scaled;
        }

        return ratios;
    }

    private sealed class RelativeComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(Math.Abs(x), Math.Abs(y));

        public int GetHashCode(double obj) => 0;
    }
}
