using LoraBuild.Core.Models;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

public class RotaryEmbeddingTests
{
    [Fact]
    public void InverseFrequenciesFollowThetaPowers()
    {
        // head_dim 4, theta 10000: 1/10000^(0/4) = 1, 1/10000^(2/4) = 1/100.
        Assert.Equal([1.0, 0.01], RotaryFrequencies.InverseFrequencies(4, 10000), new ToleranceComparer(1e-15));
    }

    [Fact]
    public void CosSinForPositionsZeroToTwoMatchHandComputedAngles()
    {
        using var scope = NewDisposeScope();
        var positions = tensor(new long[] { 0, 1, 2 }).unsqueeze(0);

        var (cos, sin) = RotaryEmbedding.CosSin(positions, [1f, 0.01f], ScalarType.Float32);

        // Angles per position are [p·1, p·0.01] repeated for both halves of the head.
        Assert.Equal([1L, 1, 3, 4], cos.shape);
        double[] angles = [0, 0, 0, 0, 1, 0.01, 1, 0.01, 2, 0.02, 2, 0.02];
        TensorAssert.Equal([.. angles.Select(Math.Cos)], cos, 1e-6);
        TensorAssert.Equal([.. angles.Select(Math.Sin)], sin, 1e-6);
    }

    [Fact]
    public void ApplyRotatesHalvesAsPairsNotInterleaved()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3, 4 }).reshape(1, 1, 1, 4);
        var (cos, sin) = RotaryEmbedding.CosSin(tensor(new long[] { 1 }).unsqueeze(0), [1f, 0.01f], ScalarType.Float32);

        var rotated = RotaryEmbedding.Apply(x, cos, sin);

        // Pairs are (x0, x2) turned by 1 radian and (x1, x3) turned by 0.01 radian.
        double[] expected =
        [
            (1 * Math.Cos(1)) - (3 * Math.Sin(1)),
            (2 * Math.Cos(0.01)) - (4 * Math.Sin(0.01)),
            (3 * Math.Cos(1)) + (1 * Math.Sin(1)),
            (4 * Math.Cos(0.01)) + (2 * Math.Sin(0.01)),
        ];
        TensorAssert.Equal(expected, rotated, 1e-6);
    }

    [Fact]
    public void Llama3ScalingKeepsHighSlowsLowAndBlendsTheMiddle()
    {
        // head_dim 8, theta 10000 → 1, 0.1, 0.01, 0.001; wavelengths 2π/f ≈ 6.28, 62.8, 628, 6283.
        // original context 1024, low_freq_factor 1, high_freq_factor 4 → blend band 256 .. 1024.
        var scaling = new RopeScaling(RopeScalingKind.Llama3, 8, 1, 4, 1024);

        var frequencies = RotaryFrequencies.InverseFrequencies(8, 10000, scaling);

        // Third: smooth = (1024 / 628.3185 − 1) / 3 = 0.2099155; (1 − smooth) · 0.01 / 8 + smooth · 0.01.
        Assert.Equal([1.0, 0.1, 0.003086760967, 0.001 / 8], frequencies, new ToleranceComparer(1e-12));
    }

    [Fact]
    public void Llama31ConfigScalesOnlyTheLongWavelengths()
    {
        var scaling = new RopeScaling(RopeScalingKind.Llama3, 8, 1, 4, 8192);

        var scaled = RotaryFrequencies.InverseFrequencies(128, 500000, scaling);
        var plain = RotaryFrequencies.InverseFrequencies(128, 500000);

        Assert.Equal(plain[0], scaled[0]);
        Assert.Equal(plain[^1] / 8, scaled[^1], 15);
    }

    [Fact]
    public void LinearScalingDividesEveryFrequency()
    {
        var frequencies = RotaryFrequencies.InverseFrequencies(4, 10000, new RopeScaling(RopeScalingKind.Linear, 4));

        Assert.Equal([0.25, 0.0025], frequencies, new ToleranceComparer(1e-15));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
