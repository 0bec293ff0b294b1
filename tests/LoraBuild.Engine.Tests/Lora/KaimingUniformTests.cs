using LoraBuild.Engine.Lora;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

public class KaimingUniformTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(4096)]
    public void TheBoundForSlopeRootFiveIsOneOverRootFanIn(long fanIn)
    {
        var bound = KaimingUniform.Bound(fanIn, KaimingUniform.LinearSlope);

        Assert.Equal(1 / Math.Sqrt(fanIn), bound, 1e-15);
    }

    [Fact]
    public void TheBoundForSlopeZeroIsHesUniformBound()
    {
        Assert.Equal(Math.Sqrt(6.0 / 50), KaimingUniform.Bound(50, 0), 1e-15);
    }

    [Fact]
    public void EveryValueLiesWithinTheBoundAndSpreadsOverIt()
    {
        using var generator = new Generator(3, CPU);
        using var weight = empty(16, 400);

        KaimingUniform.Fill(weight, generator);

        var bound = KaimingUniform.Bound(400, KaimingUniform.LinearSlope);
        using var magnitude = weight.abs();
        Assert.True(magnitude.max().item<float>() <= bound);
        Assert.True(magnitude.max().item<float>() > 0.99 * bound);

        // U(−b, b) has variance b²/3.
        Assert.Equal(bound * bound / 3, weight.to_type(ScalarType.Float64).var().item<double>(), bound * bound * 0.03);
    }

    [Fact]
    public void TheSameSeedGivesTheSameValuesAndAnotherSeedOthers()
    {
        using var first = Draw(seed: 11);
        using var again = Draw(seed: 11);
        using var other = Draw(seed: 12);

        Assert.True(LoraTestLayers.Identical(first, again));
        Assert.False(LoraTestLayers.Identical(first, other));
    }

    [Fact]
    public void OnlyMatricesAreAccepted()
    {
        using var generator = new Generator(1, CPU);
        using var vector = empty(5);

        Assert.Throws<ArgumentException>(() => KaimingUniform.Fill(vector, generator));
    }

    private static Tensor Draw(long seed)
    {
        using var generator = new Generator((ulong)seed, CPU);
        var weight = empty(8, 32);
        KaimingUniform.Fill(weight, generator);
        return weight;
    }
}
