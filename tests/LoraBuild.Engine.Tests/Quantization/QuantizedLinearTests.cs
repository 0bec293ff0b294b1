using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Quantization;
using LoraBuild.Engine.Tests.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Quantization;

public class QuantizedLinearTests
{
    private static Linear RandomLinear(long inFeatures, long outFeatures, int seed)
    {
        manual_seed(seed);
        return nn.Linear(inFeatures, outFeatures, hasBias: false);
    }

    [Theory]
    [InlineData("nf4")]
    [InlineData("fp4")]
    [InlineData("int8")]
    public void ForwardAndInputGradientAreThoseOfTheDequantizedWeight(string quantization)
    {
        using var scope = NewDisposeScope();
        using var linear = RandomLinear(64, 48, seed: 1);
        using var quantized = QuantizedLinear.From(linear, ModelQuantizer.WeightQuantizer(quantization));
        var weight = quantized.Weight.Dequantize();
        var input = randn([3, 5, 64], generator: new Generator(seed: 2)).requires_grad_(true);
        var reference = input.detach().clone().requires_grad_(true);
        var upstream = randn([3, 5, 48], generator: new Generator(seed: 3));

        var output = quantized.call(input);
        output.backward([upstream]);
        var expected = nn.functional.linear(reference, weight);
        expected.backward([upstream]);

        Assert.Equal(0, (output - expected).abs().max().item<float>());
        Assert.True((input.grad! - reference.grad!).abs().max().item<float>() < 1e-6f);
        Assert.Empty(quantized.parameters());
    }

    [Fact]
    public void LoraOnAQuantizedLayerTrainsOnlyTheLoraMatrices()
    {
        using var scope = NewDisposeScope();
        using var linear = RandomLinear(64, 32, seed: 4);
        var quantized = QuantizedLinear.From(linear);
        using var generator = new Generator(seed: 5);
        using var layer = new LoraLinear(quantized, rank: 4, alpha: 8, useRslora: false, dropout: 0, generator, null);
        using (no_grad())
        {
            layer.LoraB.weight.normal_(generator: generator);
        }

        var input = randn([2, 64], generator: generator);
        layer.call(input).square().sum().backward();

        Assert.Equal(["lora_A.weight", "lora_B.weight"], layer.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal));
        Assert.All(layer.parameters(), parameter => Assert.True(parameter.grad is not null && parameter.grad.abs().sum().item<float>() > 0));
        Assert.Equal(64, layer.InFeatures);
        Assert.Equal(32, layer.OutFeatures);
    }

    [Fact]
    public void MergingIntoAQuantizedBaseIsRefusedWithItsCode()
    {
        using var linear = RandomLinear(64, 32, seed: 6);
        using var generator = new Generator(seed: 7);
        using var layer = new LoraLinear(QuantizedLinear.From(linear), rank: 2, alpha: 4, useRslora: false, dropout: 0, generator, null);

        var error = Assert.Throws<LoraException>(() => layer.Merge());

        Assert.Equal(LoraEngineErrorCodes.MergeIntoQuantizedBase, error.Code);
        Assert.False(layer.Merged);
    }

    [Fact]
    public void QuantizingAModelReplacesEveryDecoderProjectionAndKeepsItsOutputsClose()
    {
        using var checkpoint = new TinyCheckpoint();
        using var scope = NewDisposeScope();
        using var original = PretrainedModel.Load(checkpoint.Directory);
        using var quantized = PretrainedModel.Load(checkpoint.Directory);
        var ids = tensor(new long[] { 1, 5, 9, 14, 2, 7 }).unsqueeze(0);

        var (layers, bytesBefore, bytesAfter) = ModelQuantizer.QuantizeDecoderLinearLayers(quantized.Model);

        Assert.Equal(2 * 7, layers);
        Assert.True(bytesAfter <= 0.27 * bytesBefore / 2, $"{bytesAfter} bytes from {bytesBefore} float32 bytes");
        Assert.Equal(14, quantized.Model.modules().OfType<QuantizedLinear>().Count());
        using var noGrad = no_grad();
        var expected = original.Model.call(ids);
        var actual = quantized.Model.call(ids);
        var cosine = nn.functional.cosine_similarity(expected.flatten(), actual.flatten(), dim: 0).item<float>();

        // 4 bits per weight on a random width-32 model: 0.925 measured; a broken dequantization gives ~0.
        Assert.True(cosine > 0.9f, $"cosine similarity of the logits {cosine}");
    }
}
