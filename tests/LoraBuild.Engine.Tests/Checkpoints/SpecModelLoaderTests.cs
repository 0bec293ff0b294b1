using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Quantization;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Checkpoints;

public class SpecModelLoaderTests
{
    [Fact]
    public void TheBaseIsLoadedInTheSpecsPrecisionAndQuantizationWithTheAdapterOnTheQuantizedLayers()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, targets: "q_proj,down_proj");
        var spec = new TrainingSpec { Precision = Precisions.Bf16, Quantization = Quantizations.Nf4 };

        using var loaded = SpecModelLoader.Load(spec, checkpoint.Directory, adapter.Directory);

        Assert.Equal(ScalarType.BFloat16, loaded.Model.DType);
        Assert.Equal((Quantizations.Nf4, 7 * checkpoint.Config.NumHiddenLayers), (loaded.Quantized!.Quantization, loaded.Quantized.Layers));
        Assert.True(loaded.Quantized.BytesAfter < loaded.Quantized.BytesBefore);
        var lora = loaded.Model.named_modules().Select(pair => pair.module).OfType<LoraLinear>().ToList();
        Assert.Equal(2 * checkpoint.Config.NumHiddenLayers, lora.Count);
        Assert.All(lora, layer => Assert.IsType<QuantizedLinear>(layer.BaseLayer));
    }

    [Fact]
    public void WithoutQuantizationTheBaseIsAsLoaded()
    {
        using var checkpoint = new TinyCheckpoint();

        using var loaded = SpecModelLoader.Load(new TrainingSpec(), checkpoint.Directory);

        Assert.Null(loaded.Quantized);
        Assert.Equal(ScalarType.Float32, loaded.Model.DType);
        Assert.Empty(loaded.Model.named_modules().Select(pair => pair.module).OfType<QuantizedLinear>());
    }
}
