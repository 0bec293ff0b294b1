using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

internal static class TensorAssert
{
    /// <summary>max |actual − expected| ≤ tolerance · max |expected|, compared in float64.</summary>
    public static void RelativelyClose(Tensor expected, Tensor actual, double tolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var scope = NewDisposeScope();
        var reference = expected.to_type(ScalarType.Float64);
        var largestError = (actual.to_type(ScalarType.Float64) - reference).abs().max().item<double>();
        var scale = reference.abs().max().item<double>();
        Assert.True(
            largestError <= tolerance * scale,
            $"Largest difference {largestError:E3} exceeds {tolerance:E1} × {scale:E3}.");
    }

    public static void Equal(double[] expected, Tensor actual, double tolerance)
    {
        using var scope = NewDisposeScope();
        var values = actual.to_type(ScalarType.Float64).flatten().data<double>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - values[i]) <= tolerance,
                $"Element {i}: expected {expected[i]:R}, got {values[i]:R}.");
        }
    }
}
