using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Checkpoints;

public class PretrainedModelTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(20_000L)]
    public void AWrittenCheckpointLoadsBackWithIdenticalLogits(long? maxShardBytes)
    {
        using var checkpoint = new TinyCheckpoint(maxShardBytes);
        using var loaded = PretrainedModel.Load(checkpoint.Directory);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 298, 5, 17, 80, 260 }).unsqueeze(0);

        checkpoint.Model.eval();
        var expected = checkpoint.Model.ForwardLogits(ids);
        var actual = loaded.Model.ForwardLogits(ids);

        Assert.True(expected.eq(actual).all().item<bool>());
        Assert.Equal(maxShardBytes is null, File.Exists(Path.Combine(checkpoint.Directory, "model.safetensors")));
        Assert.Equal(maxShardBytes is not null, File.Exists(Path.Combine(checkpoint.Directory, "model.safetensors.index.json")));
    }

    [Fact]
    public void TheFolderIsInHuggingFaceLayoutWithTiedEmbeddingsStoredOnce()
    {
        using var checkpoint = new TinyCheckpoint();
        using var reader = SafeTensorsModel.Open(checkpoint.Directory);

        var names = reader.Tensors.Select(t => t.Name).ToList();
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Contains("model.layers.1.self_attn.k_proj.weight", names);
        Assert.DoesNotContain("lm_head.weight", names);
        Assert.Equal("pt", reader.Metadata["format"]);
        Assert.Equal([16, 32], reader.Tensors.Single(t => t.Name == "model.layers.0.self_attn.v_proj.weight").Shape);
        Assert.All(
            ["config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json"],
            file => Assert.True(File.Exists(Path.Combine(checkpoint.Directory, file)), file));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(checkpoint.Directory)!, $".{Path.GetFileName(checkpoint.Directory)}*"));
    }

    [Fact]
    public void SpecialTokensAndGenerationDefaultsComeFromTheFolder()
    {
        using var checkpoint = new TinyCheckpoint();
        using var loaded = PretrainedModel.Load(checkpoint.Directory);

        Assert.Equal(298, loaded.Tokenizer.BosTokenId);
        Assert.Contains(299, loaded.EosTokenIds);
        Assert.Equal(12, loaded.Generation.MaxNewTokens);
        Assert.Equal("the order", loaded.Tokenizer.Decode(loaded.Tokenizer.Encode("the order")));
    }

    [Fact]
    public void GreedyGenerationFromALoadedModelIsRepeatable()
    {
        using var checkpoint = new TinyCheckpoint();
        using var loaded = PretrainedModel.Load(checkpoint.Directory);
        var prompt = loaded.Tokenizer.Encode("the order");
        var options = SamplingOptions.Greedy with { MaxNewTokens = 8, EosTokenIds = loaded.EosTokenIds };

        var first = new TextGenerator(loaded.Model).Generate(prompt, options).ToList();
        var second = new TextGenerator(loaded.Model).Generate(prompt, options).ToList();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void AFolderWithoutWeightsIsACodedError()
    {
        using var checkpoint = new TinyCheckpoint();
        File.Delete(Path.Combine(checkpoint.Directory, "model.safetensors"));

        var error = Assert.Throws<LoraException>(() => PretrainedModel.Load(checkpoint.Directory));

        Assert.Equal(SafeTensorsErrorCodes.ModelWeightsNotFound, error.Code);
    }

    [Fact]
    public void ATruncatedWeightsFileIsACodedError()
    {
        using var checkpoint = new TinyCheckpoint();
        var weights = Path.Combine(checkpoint.Directory, "model.safetensors");
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length - 100)]);

        var error = Assert.Throws<LoraException>(() => PretrainedModel.Load(checkpoint.Directory));

        Assert.StartsWith("LORA20", error.Code, StringComparison.Ordinal);
        Assert.Contains("model.safetensors", error.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void InitializationFollowsHuggingFaceAndTheSeed()
    {
        using var a = new TinyCheckpoint(seed: 3);
        using var b = new TinyCheckpoint(seed: 3);
        using var scope = NewDisposeScope();
        var parameters = a.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        Assert.Equal(File.ReadAllBytes(Path.Combine(a.Directory, "model.safetensors")), File.ReadAllBytes(Path.Combine(b.Directory, "model.safetensors")));
        Assert.True(parameters["model.norm.weight"].eq(1).all().item<bool>());
        Assert.InRange(parameters["model.layers.0.mlp.up_proj.weight"].std().item<float>(), 0.27f, 0.33f);
    }
}
