using LoraBuild.Engine.Lora;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

/// <summary>Linear layers and LoRA wrappers whose every value comes from a seeded generator.</summary>
internal static class LoraTestLayers
{
    public static Linear Linear(long inFeatures, long outFeatures, long seed, ScalarType dtype = ScalarType.Float32, bool bias = true)
    {
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        var weight = new Parameter(randn([outFeatures, inFeatures], ScalarType.Float64, generator: generator).mul(0.3).to_type(dtype));
        var biasParameter = bias ? new Parameter(randn([outFeatures], ScalarType.Float64, generator: generator).mul(0.1).to_type(dtype)) : null;
        return nn.Linear(weight, biasParameter);
    }

    public static LoraLinear Lora(
        Linear baseLayer,
        int rank = 4,
        double alpha = 8,
        bool useRslora = false,
        double dropout = 0,
        long seed = 7,
        Generator? dropoutGenerator = null,
        ScalarType loraDType = ScalarType.Float32)
    {
        using var init = new Generator(unchecked((ulong)seed), CPU);
        return new LoraLinear(baseLayer, rank, alpha, useRslora, dropout, init, dropoutGenerator, loraDType);
    }

    /// <summary>Gives <c>lora_B</c> random values so that the LoRA path contributes (it starts at zero).</summary>
    public static void RandomizeB(LoraLinear layer, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        using var noGrad = no_grad();
        var weight = layer.LoraB.weight;
        using var values = randn(weight.shape, ScalarType.Float64, generator: generator).mul(0.5);
        weight.copy_(values.to_type(weight.dtype));
    }

    public static Tensor Input(long seed, ScalarType dtype, params long[] shape)
    {
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        using var values = randn(shape, ScalarType.Float64, generator: generator);
        return values.to_type(dtype);
    }

    /// <summary>Same shape, same dtype and bitwise-equal values (no NaNs).</summary>
    public static bool Identical(Tensor actual, Tensor expected) =>
        actual.dtype == expected.dtype && actual.shape.SequenceEqual(expected.shape) && actual.allclose(expected, rtol: 0, atol: 0);

    /// <summary>The largest |a − b| divided by the largest |b| (or 1 when b is all zeros).</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to_type(ScalarType.Float64);
        var e = expected.to_type(ScalarType.Float64);
        var difference = (a - e).abs().max().item<double>();
        var scale = Math.Max(e.abs().max().item<double>(), 1e-300);
        return difference / scale;
    }
}
