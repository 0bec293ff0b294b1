using LoraBuild.Engine.Lora;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

public class SeededDropoutTests
{
    [Fact]
    public void KeptValuesAreScaledAndAboutOneMinusPAreKept()
    {
        using var generator = new Generator(5, CPU);
        using var input = ones(100, 100);

        using var output = SeededDropout.Apply(input, 0.25, generator);

        using var zeros = output.eq(0);
        using var scaled = output.eq(1 / 0.75f);
        using var either = zeros.logical_or(scaled);
        Assert.True(either.all().item<bool>());
        var keptFraction = scaled.to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(keptFraction, 0.73, 0.77);
    }

    [Fact]
    public void TheSameSeedGivesTheSameMask()
    {
        using var input = LoraTestLayers.Input(1, ScalarType.Float32, 4, 6, 8);
        using var first = new Generator(9, CPU);
        using var second = new Generator(9, CPU);

        using var a = SeededDropout.Apply(input, 0.5, first);
        using var b = SeededDropout.Apply(input, 0.5, second);
        using var c = SeededDropout.Apply(input, 0.5, second);

        Assert.True(LoraTestLayers.Identical(a, b));
        Assert.False(LoraTestLayers.Identical(b, c));
    }

    [Fact]
    public void ZeroProbabilityChangesNothing()
    {
        using var generator = new Generator(5, CPU);
        using var input = LoraTestLayers.Input(2, ScalarType.Float32, 3, 3);
        using var state = generator.get_state();

        using var output = SeededDropout.Apply(input, 0, generator);

        Assert.True(LoraTestLayers.Identical(output, input));
        using var after = generator.get_state();
        Assert.True(LoraTestLayers.Identical(after, state));
    }

    [Fact]
    public void KeepsTheInputsDType()
    {
        using var generator = new Generator(5, CPU);
        using var input = ones(4, 4, dtype: ScalarType.BFloat16);

        using var output = SeededDropout.Apply(input, 0.5, generator);

        Assert.Equal(ScalarType.BFloat16, output.dtype);
    }
}
