using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Tests.Models;

public class Phi3ArchitectureTests
{
    private const string Base = """
        "hidden_size": 64, "intermediate_size": 96, "num_hidden_layers": 3, "num_attention_heads": 4,
        "num_key_value_heads": 2, "vocab_size": 100, "rms_norm_eps": 1e-5, "max_position_embeddings": 512
        """;

    [Fact]
    public void PhiThreeMiniReadsAsPublished()
    {
        var config = ModelConfig.Parse(PublishedConfigs.Phi3_Mini_4k);

        Assert.Equal(ModelFamily.Phi3, config.Family);
        Assert.Equal(96, config.HeadDim);
        Assert.False(config.TieWordEmbeddings);
        Assert.False(config.QkvBias || config.OutputProjectionBias || config.MlpBias);
        Assert.Null(config.RopeScaling);
        Assert.All(Enumerable.Range(0, 32), layer => Assert.Equal(2047, config.SlidingWindowFor(layer)));
    }

    [Fact]
    public void TheFusedProjectionsHoldQueriesKeysAndValuesAndGateAndUp()
    {
        var config = ModelConfig.Parse($$"""{"architectures": ["Phi3ForCausalLM"], {{Base}}}""");

        Assert.Equal(
            [
                new LinearLayerShape("qkv_proj", "self_attn.qkv_proj", 64, (4 + (2 * 2)) * 16, false),
                new LinearLayerShape("o_proj", "self_attn.o_proj", 64, 64, false),
                new LinearLayerShape("gate_up_proj", "mlp.gate_up_proj", 64, 2 * 96, false),
                new LinearLayerShape("down_proj", "mlp.down_proj", 96, 64, false),
            ],
            ParameterCounts.DecoderLinearLayers(config));
        Assert.Equal(
            ParameterCounts.For(config with { Family = ModelFamily.Mistral, Architecture = "MistralForCausalLM" }).Total,
            ParameterCounts.For(config).Total);
    }

    [Fact]
    public void BiasFlagsAreIgnoredAsTransformersIgnoresThem()
    {
        var config = ModelConfig.Parse($$"""{"architectures": ["Phi3ForCausalLM"], "attention_bias": true, "mlp_bias": true, {{Base}}}""");

        Assert.False(config.QkvBias || config.OutputProjectionBias || config.MlpBias);
    }

    [Theory]
    [InlineData("\"partial_rotary_factor\": 0.75", "partial_rotary_factor")]
    [InlineData("\"resid_pdrop\": 0.1", "resid_pdrop")]
    [InlineData("\"embd_pdrop\": 0.1", "embd_pdrop")]
    [InlineData("\"attention_dropout\": 0.1", "attention_dropout")]
    public void AFeatureTheEngineLacksIsRefusedNamingItsKey(string feature, string key)
    {
        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse($$"""{"architectures": ["Phi3ForCausalLM"], {{feature}}, {{Base}}}""", "phi/config.json"));

        Assert.Equal(ModelErrorCodes.UnsupportedConfigFeature, error.Code);
        Assert.Equal($"phi/config.json [{key}]", error.Location);
    }

    [Theory]
    [InlineData("""{"type": "longrope", "short_factor": [1.0, 1.0], "long_factor": [2.0, 2.0]}""", "longrope")]
    [InlineData("""{"type": "su", "short_factor": [1.0, 1.0], "long_factor": [2.0, 2.0]}""", "su")]
    [InlineData("""{"rope_type": "linear", "factor": 2.0}""", "linear")]
    public void AnyRopeScalingIsRefusedNamingItsType(string scaling, string type)
    {
        var error = Assert.Throws<LoraException>(
            () => ModelConfig.Parse($$"""{"architectures": ["Phi3ForCausalLM"], "rope_scaling": {{scaling}}, {{Base}}}""", "phi/config.json"));

        Assert.Equal(ModelErrorCodes.UnsupportedRopeScaling, error.Code);
        Assert.Equal("phi/config.json [rope_scaling]", error.Location);
        Assert.Contains($"\"{type}\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutASlidingWindowEveryLayerSeesTheWholeContext()
    {
        var config = ModelConfig.Parse($$"""{"architectures": ["Phi3ForCausalLM"], "sliding_window": null, "resid_pdrop": 0.0, {{Base}}}""");

        Assert.Null(config.SlidingWindow);
        Assert.Null(config.SlidingWindowFor(0));
    }
}
