using System.Text.Json.Nodes;
using LoraBuild.Engine.Checkpoints;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Checkpoints;

public class AdapterMergerTests
{
    [Fact]
    public void AConfigThatAlreadyNamesTheDTypeIsKeptByteForByte()
    {
        const string config = "{\n    \"torch_dtype\": \"float32\",  \"hidden_size\": 32\n}";

        Assert.Same(config, AdapterMerger.WithTorchDType(config, "float32"));
    }

    [Fact]
    public void TorchDTypeAndTheNewerDTypeKeyAreBothSetAndTheRestKept()
    {
        var updated = JsonNode.Parse(AdapterMerger.WithTorchDType("""{"torch_dtype": "float32", "dtype": "float32", "rope_scaling": null, "hidden_size": 32}""", "bfloat16"))!;

        Assert.Equal("bfloat16", (string?)updated["torch_dtype"]);
        Assert.Equal("bfloat16", (string?)updated["dtype"]);
        Assert.Equal(32, (int?)updated["hidden_size"]);
        Assert.True(updated.AsObject().ContainsKey("rope_scaling"));
    }

    [Fact]
    public void AConfigWithoutADTypeGetsOne()
    {
        var updated = JsonNode.Parse(AdapterMerger.WithTorchDType("""{"hidden_size": 32}""", "float16"))!;

        Assert.Equal("float16", (string?)updated["torch_dtype"]);
        Assert.False(updated.AsObject().ContainsKey("dtype"));
    }

    [Fact]
    public void WithoutADTypeTheMergeKeepsTheBasesAndCountsItsLayers()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, targets: "q_proj,v_proj");
        var output = checkpoint.Directory + "-merged";
        try
        {
            var result = AdapterMerger.Merge(checkpoint.Directory, adapter.Directory, output, maxShardBytes: 20_000);

            Assert.Equal(4, result.Layers);
            Assert.Equal(ScalarType.Float32, result.DType);
            Assert.Empty(result.Warnings);
            Assert.True(File.Exists(Path.Combine(output, "model.safetensors.index.json")));
            using var merged = PretrainedModel.Load(output);
            Assert.Null(merged.Adapter);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Theory]
    [InlineData("float32", ScalarType.Float32)]
    [InlineData("bfloat16", ScalarType.BFloat16)]
    [InlineData("float16", ScalarType.Float16)]
    public void DTypeNamesRoundTrip(string name, ScalarType type)
    {
        Assert.True(HuggingFaceDTypes.TryParse(name, out var parsed));
        Assert.Equal(type, parsed);
        Assert.Equal(name, HuggingFaceDTypes.NameOf(type));
        Assert.False(HuggingFaceDTypes.TryParse("bf16", out _));
    }
}
