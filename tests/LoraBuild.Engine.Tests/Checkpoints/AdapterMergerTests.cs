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

    [Fact]
    public void ABfloat16BaseMergesToTheSameBitsAsThroughFloat32()
    {
        using var checkpoint = new TinyCheckpoint();
        using var noOp = new TinyAdapter(checkpoint, trained: false);
        using var adapter = new TinyAdapter(checkpoint);
        var base16 = checkpoint.Directory + "-bf16";
        var merged = checkpoint.Directory + "-merged";
        try
        {
            AdapterMerger.Merge(checkpoint.Directory, noOp.Directory, base16, ScalarType.BFloat16);

            var result = AdapterMerger.Merge(base16, adapter.Directory, merged);

            using var reference = PretrainedModel.Load(base16, ScalarType.Float32, adapterDirectory: adapter.Directory);
            reference.MergeAdapter();
            using var written = PretrainedModel.Load(merged, ScalarType.BFloat16);
            var expected = reference.Model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter);
            Assert.Equal(ScalarType.BFloat16, result.DType);
            using var unmerged = PretrainedModel.Load(base16, ScalarType.BFloat16);
            Assert.All(written.Model.named_parameters(), pair =>
            {
                using var rounded = expected[pair.name].to_type(ScalarType.BFloat16);
                Assert.True(rounded.eq(pair.parameter).all().item<bool>(), pair.name);
            });
            using var query = unmerged.Model.get_parameter("model.layers.0.self_attn.q_proj.weight")!.eq(written.Model.get_parameter("model.layers.0.self_attn.q_proj.weight")!).all();
            Assert.False(query.item<bool>());
        }
        finally
        {
            Directory.Delete(base16, recursive: true);
            Directory.Delete(merged, recursive: true);
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
