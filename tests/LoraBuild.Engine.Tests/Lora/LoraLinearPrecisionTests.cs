using LoraBuild.Engine.Lora;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

public class LoraLinearPrecisionTests
{
    [Fact]
    public void ABFloat16BaseKeepsFloat32LoraMatricesAndReturnsBFloat16()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(32, 16, seed: 1, ScalarType.BFloat16), rank: 4, alpha: 8);
        LoraTestLayers.RandomizeB(layer, seed: 4);
        using var input = LoraTestLayers.Input(3, ScalarType.BFloat16, 2, 3, 32);

        using var output = layer.call(input);

        Assert.Equal(ScalarType.BFloat16, layer.BaseLinear().weight.dtype);
        Assert.Equal(ScalarType.Float32, layer.LoraA.weight.dtype);
        Assert.Equal(ScalarType.Float32, layer.LoraB.weight.dtype);
        Assert.Equal(ScalarType.BFloat16, output.dtype);

        // PEFT's order: bf16 base output + fp32 LoRA output, added in fp32, then rounded once to bf16.
        using var baseOutput = layer.BaseLayer.call(input);
        using var update = input.to_type(ScalarType.Float32).matmul(layer.LoraA.weight.t()).matmul(layer.LoraB.weight.t()).mul(2.0);
        using var expected = (baseOutput.to_type(ScalarType.Float32) + update).to_type(ScalarType.BFloat16);
        Assert.True(LoraTestLayers.Identical(output, expected));
    }

    [Fact]
    public void GradientsReachTheFloat32MatricesThroughABFloat16Base()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(32, 16, seed: 1, ScalarType.BFloat16), rank: 4, alpha: 8);
        LoraTestLayers.RandomizeB(layer, seed: 4);
        using var input = LoraTestLayers.Input(3, ScalarType.BFloat16, 2, 3, 32);

        using var output = layer.call(input);
        using var loss = output.to_type(ScalarType.Float32).square().sum();
        loss.backward();

        Assert.Equal(ScalarType.Float32, layer.LoraA.weight.grad!.dtype);
        Assert.Equal(ScalarType.Float32, layer.LoraB.weight.grad!.dtype);
        Assert.True(layer.LoraA.weight.grad!.abs().sum().item<float>() > 0);
        Assert.Null(layer.BaseLinear().weight.grad);
    }

    [Fact]
    public void MergingIntoABFloat16BaseRoundsOnceAndUnmergeComesBackWithinRounding()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(32, 16, seed: 1, ScalarType.BFloat16), rank: 4, alpha: 8);
        LoraTestLayers.RandomizeB(layer, seed: 4);
        using var original = layer.BaseLinear().weight.clone();
        using var delta = layer.DeltaWeight();
        using var expected = (original.to_type(ScalarType.Float32) + delta).to_type(ScalarType.BFloat16);

        layer.Merge();
        Assert.True(LoraTestLayers.Identical(layer.BaseLinear().weight, expected));
        Assert.Equal(ScalarType.BFloat16, layer.BaseLinear().weight.dtype);
        layer.Unmerge();

        // bfloat16 keeps 8 significant bits: each rounding costs at most 2^-8 relative to the largest value.
        Assert.True(LoraTestLayers.RelativeError(layer.BaseLinear().weight, original) < 2 * Math.Pow(2, -8));
    }
}
