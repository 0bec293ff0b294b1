using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Tests.Models;

public class ModelArchitecturesTests
{
    private const string Base = """
        "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 4, "num_attention_heads": 4,
        "num_key_value_heads": 2, "vocab_size": 100, "rms_norm_eps": 1e-6, "max_position_embeddings": 512
        """;

    [Fact]
    public void EveryFamilyIsReadByItsClassAndByItsModelTypeAlone()
    {
        foreach (var architecture in ModelArchitectures.All)
        {
            var byClass = ModelConfig.Parse($$"""{"architectures": ["{{architecture.HuggingFaceClass}}"], {{Base}}}""");
            var byType = ModelConfig.Parse($$"""{"model_type": "{{architecture.ModelType}}", {{Base}}}""");

            Assert.Equal(architecture.Family, byClass.Family);
            Assert.Equal(architecture.Family, byType.Family);
            Assert.Same(architecture, byClass.Descriptor);
        }

        Assert.Equal(ModelArchitectures.All.Select(a => a.HuggingFaceClass), ModelConfig.SupportedArchitectures);
    }

    [Fact]
    public void Qwen3HasQueryKeyNormsAndNoBiasUnlessAsked()
    {
        var config = ModelConfig.Parse($$"""{"architectures": ["Qwen3ForCausalLM"], "head_dim": 32, {{Base}}}""");

        Assert.True(config.QueryKeyNorm);
        Assert.False(config.QkvBias);
        Assert.Equal(32, config.HeadDim);
        Assert.Equal(ParameterCounts.For(config with { QueryKeyNorm = false }).PerDecoderLayer + (2 * 32), ParameterCounts.For(config).PerDecoderLayer);
    }

    [Fact]
    public void QwenSlidingWindowStartsAtMaxWindowLayersOnlyWhenTurnedOn()
    {
        var off = ModelConfig.Parse($$"""{"architectures": ["Qwen2ForCausalLM"], "sliding_window": 32, "max_window_layers": 2, {{Base}}}""");
        var on = ModelConfig.Parse($$"""{"architectures": ["Qwen2ForCausalLM"], "use_sliding_window": true, "sliding_window": 32, "max_window_layers": 2, {{Base}}}""");
        var mistral = ModelConfig.Parse($$"""{"architectures": ["MistralForCausalLM"], "sliding_window": 32, {{Base}}}""");

        Assert.Null(off.SlidingWindowFor(3));
        Assert.Null(on.SlidingWindowFor(1));
        Assert.Equal(32, on.SlidingWindowFor(2));
        Assert.Equal(32, mistral.SlidingWindowFor(0));
    }

    [Theory]
    [InlineData("\"final_logit_softcapping\": 30.0")]
    [InlineData("\"attn_logit_softcapping\": 50.0")]
    [InlineData("\"partial_rotary_factor\": 0.5")]
    [InlineData("\"query_pre_attn_scalar\": 256")]
    [InlineData("\"attention_dropout\": 0.1")]
    public void AFeatureTheEngineLacksIsRefusedNamingItsKey(string feature)
    {
        var key = feature.Split('"')[1];

        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse($$"""{"architectures": ["LlamaForCausalLM"], {{feature}}, {{Base}}}""", "model/config.json"));

        Assert.Equal(ModelErrorCodes.UnsupportedConfigFeature, error.Code);
        Assert.Equal($"model/config.json [{key}]", error.Location);
    }

    [Theory]
    [InlineData("\"final_logit_softcapping\": null")]
    [InlineData("\"partial_rotary_factor\": 1.0")]
    [InlineData("\"attention_dropout\": 0.0")]
    [InlineData("\"use_qk_norm\": false")]
    public void ANeutralValueOfSuchAKeyIsAccepted(string feature) =>
        Assert.Equal(ModelFamily.Llama, ModelConfig.Parse($$"""{"architectures": ["LlamaForCausalLM"], {{feature}}, {{Base}}}""").Family);
}
