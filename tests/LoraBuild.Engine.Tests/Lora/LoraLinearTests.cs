using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

public class LoraLinearTests
{
    [Fact]
    public void RegistersBaseLayerAndLoraMatricesUnderPeftsNames()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(12, 6, seed: 1), rank: 3);

        var shapes = layer.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter.shape);

        Assert.Equal(["base_layer.weight", "base_layer.bias", "lora_A.weight", "lora_B.weight"], shapes.Keys);
        Assert.Equal([3L, 12L], shapes["lora_A.weight"]);
        Assert.Equal([6L, 3L], shapes["lora_B.weight"]);
        Assert.Equal(shapes.Keys, layer.state_dict().Keys);
    }

    [Fact]
    public void TheBaseIsFrozenAndOnlyTheLoraMatricesTrain()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(12, 6, seed: 1));

        var trainable = layer.named_parameters().Where(pair => pair.parameter.requires_grad).Select(pair => pair.name);

        Assert.Equal(["lora_A.weight", "lora_B.weight"], trainable);
    }

    [Fact]
    public void AIsKaimingUniformFromTheGeneratorAndBIsZero()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(50, 6, seed: 1), rank: 8, seed: 21);
        using var same = LoraTestLayers.Lora(LoraTestLayers.Linear(50, 6, seed: 2), rank: 8, seed: 21);
        using var other = LoraTestLayers.Lora(LoraTestLayers.Linear(50, 6, seed: 1), rank: 8, seed: 22);

        using var magnitude = layer.LoraA.weight.abs();
        Assert.True(magnitude.max().item<float>() <= 1 / Math.Sqrt(50) * (1 + 1e-6));
        Assert.True(LoraTestLayers.Identical(layer.LoraA.weight, same.LoraA.weight));
        Assert.False(LoraTestLayers.Identical(layer.LoraA.weight, other.LoraA.weight));
        Assert.Equal(0f, layer.LoraB.weight.abs().max().item<float>());
    }

    [Fact]
    public void AsLongAsBIsZeroTheOutputIsTheBaseOutputExactly()
    {
        using var baseLayer = LoraTestLayers.Linear(12, 6, seed: 1);
        using var input = LoraTestLayers.Input(3, ScalarType.Float32, 2, 5, 12);
        using var expected = baseLayer.call(input);
        using var layer = LoraTestLayers.Lora(baseLayer);

        using var output = layer.call(input);

        Assert.True(LoraTestLayers.Identical(output, expected));
    }

    [Theory]
    [InlineData(false, 4, 8, 2.0)]
    [InlineData(true, 4, 8, 4.0)]
    [InlineData(false, 16, 8, 0.5)]
    [InlineData(true, 16, 8, 2.0)]
    public void TheUpdateIsScaledByAlphaOverRankOrOverItsRoot(bool useRslora, int rank, double alpha, double scale)
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(12, 6, seed: 1), rank, alpha, useRslora);
        LoraTestLayers.RandomizeB(layer, seed: 4);
        using var input = LoraTestLayers.Input(3, ScalarType.Float32, 5, 12);

        using var output = layer.call(input);

        Assert.Equal(scale, layer.Scale, 1e-12);
        using var baseOutput = layer.BaseLayer.call(input);
        using var update = input.matmul(layer.LoraA.weight.t()).matmul(layer.LoraB.weight.t()).mul(scale);
        using var expected = baseOutput + update;
        Assert.True(LoraTestLayers.RelativeError(output, expected) < 1e-6);
    }

    [Fact]
    public void DropoutActsInTrainingModeOnlyAndRepeatsWithTheSameSeed()
    {
        using var input = LoraTestLayers.Input(3, ScalarType.Float32, 4, 12);
        using var first = DropoutLayer(dropoutSeed: 100);
        using var second = DropoutLayer(dropoutSeed: 100);

        first.eval();
        using var evaluated = first.call(input);
        using var evaluatedAgain = first.call(input);
        first.train();
        using var trained = first.call(input);
        second.train();
        using var trainedWithSameSeed = second.call(input);
        using var trainedNextDraw = second.call(input);

        Assert.True(LoraTestLayers.Identical(evaluated, evaluatedAgain));
        Assert.False(trained.allclose(evaluated));
        Assert.True(LoraTestLayers.Identical(trained, trainedWithSameSeed));
        Assert.False(LoraTestLayers.Identical(trainedNextDraw, trainedWithSameSeed));
        using var noDropout = NoDropoutOutput(first, input);
        Assert.True(LoraTestLayers.RelativeError(evaluated, noDropout) < 1e-6);
    }

    [Fact]
    public void DropoutAppliesToTheLoraInputOnly()
    {
        using var input = LoraTestLayers.Input(3, ScalarType.Float32, 4, 12);
        using var layer = DropoutLayer(dropoutSeed: 100);
        using var mask = new Generator(100, CPU);
        using var dropped = SeededDropout.Apply(input, 0.5, mask);
        layer.train();

        using var output = layer.call(input);

        using var baseOutput = layer.BaseLayer.call(input);
        using var update = dropped.matmul(layer.LoraA.weight.t()).matmul(layer.LoraB.weight.t()).mul(layer.Scale);
        using var expected = baseOutput + update;
        Assert.True(LoraTestLayers.RelativeError(output, expected) < 1e-6);
    }

    [Fact]
    public void TrainingWithDropoutButNoGeneratorIsRefusedAndTheTrainersGeneratorIsUsed()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(12, 6, seed: 1), dropout: 0.5);
        using var input = LoraTestLayers.Input(2, ScalarType.Float32, 3, 12);
        LoraTestLayers.RandomizeB(layer, seed: 2);
        layer.train();

        Assert.Throws<InvalidOperationException>(() => layer.call(input));

        Assert.IsAssignableFrom<IStochasticModule>(layer);
        layer.Generator = new Generator(9, CPU);
        using var first = layer.call(input);
        layer.Generator = new Generator(9, CPU);
        using var second = layer.call(input);
        Assert.True(first.eq(second).all().item<bool>());
    }

    [Fact]
    public void MergedOutputEqualsUnmergedAndUnmergeRestoresTheWeight()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(24, 10, seed: 1), rank: 4, alpha: 16);
        LoraTestLayers.RandomizeB(layer, seed: 4);
        using var input = LoraTestLayers.Input(3, ScalarType.Float32, 6, 24);
        using var original = layer.BaseLinear().weight.clone();
        using var unmerged = layer.call(input);

        Assert.True(layer.Merge());
        using var merged = layer.call(input);
        Assert.False(layer.Merge());
        using var mergedTwice = layer.call(input);
        Assert.True(layer.Unmerge());
        Assert.False(layer.Unmerge());
        using var restored = layer.call(input);

        Assert.True(layer.BaseLinear().weight.requires_grad is false);
        Assert.True(LoraTestLayers.RelativeError(merged, unmerged) < 1e-5);
        Assert.True(LoraTestLayers.Identical(merged, mergedTwice));
        Assert.True(LoraTestLayers.RelativeError(layer.BaseLinear().weight, original) < 1e-6);
        Assert.True(LoraTestLayers.RelativeError(restored, unmerged) < 1e-6);
    }

    [Fact]
    public void TheMergedWeightIsTheBasePlusScaledBTimesA()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(24, 10, seed: 1), rank: 4, alpha: 6);
        LoraTestLayers.RandomizeB(layer, seed: 4);
        using var expected = layer.BaseLinear().weight + layer.LoraB.weight.matmul(layer.LoraA.weight).mul(1.5);

        layer.Merge();

        Assert.True(LoraTestLayers.RelativeError(layer.BaseLinear().weight, expected) < 1e-6);
    }

    [Fact]
    public void DisablingTheAdapterGivesTheBaseOutput()
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(12, 6, seed: 1));
        LoraTestLayers.RandomizeB(layer, seed: 4);
        using var input = LoraTestLayers.Input(3, ScalarType.Float32, 5, 12);
        using var expected = layer.BaseLayer.call(input);

        layer.AdapterEnabled = false;
        using var output = layer.call(input);

        Assert.True(LoraTestLayers.Identical(output, expected));
    }

    private static LoraLinear DropoutLayer(long dropoutSeed)
    {
        var generator = new Generator((ulong)dropoutSeed, CPU);
        var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(12, 6, seed: 1), dropout: 0.5, dropoutGenerator: generator);
        LoraTestLayers.RandomizeB(layer, seed: 4);
        return layer;
    }

    private static Tensor NoDropoutOutput(LoraLinear layer, Tensor input)
    {
        using var scope = NewDisposeScope();
        var update = input.matmul(layer.LoraA.weight.t()).matmul(layer.LoraB.weight.t()).mul(layer.Scale);
        return (layer.BaseLayer.call(input) + update).MoveToOuterDisposeScope();
    }
}
