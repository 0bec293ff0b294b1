using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Tests.Models;

public class GemmaArchitecturesTests
{
    /// <summary>google/gemma-2-2b's config.json, as published (no tie_word_embeddings: Gemma2Config ties by default).</summary>
    private const string Gemma2_2B = """
        {
          "architectures": ["Gemma2ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "attn_logit_softcapping": 50.0,
          "bos_token_id": 2, "cache_implementation": "hybrid", "eos_token_id": 1, "final_logit_softcapping": 30.0, "head_dim": 256,
          "hidden_act": "gelu_pytorch_tanh", "hidden_activation": "gelu_pytorch_tanh", "hidden_size": 2304, "initializer_range": 0.02,
          "intermediate_size": 9216, "max_position_embeddings": 8192, "model_type": "gemma2", "num_attention_heads": 8,
          "num_hidden_layers": 26, "num_key_value_heads": 4, "pad_token_id": 0, "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06,
          "rope_theta": 10000.0, "sliding_window": 4096, "torch_dtype": "float32", "use_cache": true, "vocab_size": 256000
        }
        """;

    /// <summary>google/gemma-3-1b-it's config.json, as published.</summary>
    private const string Gemma3_1B = """
        {
          "architectures": ["Gemma3ForCausalLM"], "attention_bias": false, "attention_dropout": 0.0, "attn_logit_softcapping": null,
          "bos_token_id": 2, "cache_implementation": "hybrid", "eos_token_id": [1, 106], "final_logit_softcapping": null, "head_dim": 256,
          "hidden_activation": "gelu_pytorch_tanh", "hidden_size": 1152, "initializer_range": 0.02, "intermediate_size": 6912,
          "max_position_embeddings": 32768, "model_type": "gemma3_text", "num_attention_heads": 4, "num_hidden_layers": 26,
          "num_key_value_heads": 1, "pad_token_id": 0, "query_pre_attn_scalar": 256, "rms_norm_eps": 1e-06, "rope_local_base_freq": 10000,
          "rope_scaling": null, "rope_theta": 1000000, "sliding_window": 512, "sliding_window_pattern": 6, "torch_dtype": "bfloat16",
          "use_cache": true, "vocab_size": 262144
        }
        """;

    [Fact]
    public void Gemma2ReadsEveryFeatureAndCountsThePublishedParameters()
    {
        var config = ModelConfig.Parse(Gemma2_2B);

        Assert.Equal(ModelFamily.Gemma2, config.Family);
        Assert.Equal(HiddenActivation.GeluTanh, config.Activation);
        Assert.Equal(50.0, config.AttentionLogitSoftCapping);
        Assert.Equal(30.0, config.FinalLogitSoftCapping);
        Assert.Equal(1 / 16.0, config.AttentionScale);
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal([true, false, true, false], Enumerable.Range(0, 4).Select(config.IsSlidingLayer));
        Assert.Equal(4096, config.SlidingWindowFor(0));
        Assert.Null(config.SlidingWindowFor(1));
        Assert.Equal(2_614_341_888L, ParameterCounts.For(config).Total);
    }

    [Fact]
    public void Gemma3ReadsEveryFeatureAndCountsThePublishedParameters()
    {
        var config = ModelConfig.Parse(Gemma3_1B);

        Assert.Equal(ModelFamily.Gemma3, config.Family);
        Assert.True(config.QueryKeyNorm);
        Assert.Null(config.AttentionLogitSoftCapping);
        Assert.Null(config.FinalLogitSoftCapping);
        Assert.Equal(1_000_000.0, config.RopeTheta);
        Assert.Equal(10000.0, config.LocalRopeTheta);
        Assert.Equal([true, true, true, true, true, false, true], Enumerable.Range(0, 7).Select(config.IsSlidingLayer));
        Assert.Equal(999_885_952L, ParameterCounts.For(config).Total);
    }

    [Fact]
    public void Gemma3LayerTypesOverrideThePattern()
    {
        var config = ModelConfig.Parse(Gemma3_1B.Replace("\"sliding_window_pattern\": 6,", "\"layer_types\": [" + string.Join(", ", Enumerable.Range(0, 26).Select(i => i % 2 == 0 ? "\"full_attention\"" : "\"sliding_attention\"")) + "],", StringComparison.Ordinal));

        Assert.Equal([false, true, false], Enumerable.Range(0, 3).Select(config.IsSlidingLayer));
    }

    [Fact]
    public void Gemma2DefaultsAreTransformersDefaultsAndNullTurnsSoftCappingOff()
    {
        var minimal = ModelConfig.Parse("""
            {"model_type": "gemma2", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
             "vocab_size": 100, "rms_norm_eps": 1e-6, "max_position_embeddings": 512, "final_logit_softcapping": null}
            """);

        Assert.Equal(256, minimal.HeadDim);
        Assert.Equal(50.0, minimal.AttentionLogitSoftCapping);
        Assert.Null(minimal.FinalLogitSoftCapping);
        Assert.Equal(256.0, minimal.QueryPreAttentionScalar);
        Assert.Equal(4096, minimal.SlidingWindow);
        Assert.True(minimal.TieWordEmbeddings);
    }

    [Fact]
    public void AnActivationGemmaDoesNotHaveIsRefusedNamingItsKey()
    {
        var error = Assert.Throws<LoraException>(() => ModelConfig.Parse(Gemma2_2B.Replace("\"hidden_activation\": \"gelu_pytorch_tanh\"", "\"hidden_activation\": \"relu\"", StringComparison.Ordinal)));

        Assert.Contains("hidden_activation", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GemmaNormsAreWrittenWithTheirUnitOffsetUnderGemmaNames()
    {
        var gemma2 = LlamaCppArchitecture.For(ModelConfig.Parse(Gemma2_2B), "config.json");

        Assert.Equal("gemma2", gemma2.Name);
        Assert.False(gemma2.PermutesQueryAndKey);
        Assert.Equal("blk.3.post_attention_norm", gemma2.TensorName("model.layers.3.post_attention_layernorm"));
        Assert.Equal("blk.3.ffn_norm", gemma2.TensorName("model.layers.3.pre_feedforward_layernorm"));
        Assert.Equal("blk.3.post_ffw_norm", gemma2.TensorName("model.layers.3.post_feedforward_layernorm"));
        Assert.Equal("blk.3.attn_norm", gemma2.TensorName("model.layers.3.input_layernorm"));
        Assert.Equal(1f, gemma2.ValueShift("model.norm", "weight"));
        Assert.Equal(1f, gemma2.ValueShift("model.layers.0.post_feedforward_layernorm", "weight"));
        Assert.Equal(0f, gemma2.ValueShift("model.layers.0.self_attn.q_proj", "weight"));
        var keys = gemma2.HyperParameters("config.json").ToDictionary(pair => pair.Key, pair => pair.Value);
        Assert.Equal(50.0, keys["gemma2.attn_logit_softcapping"].AsDouble());
        Assert.Equal(30.0, keys["gemma2.final_logit_softcapping"].AsDouble());
        Assert.Equal(4096.0, keys["gemma2.attention.sliding_window"].AsDouble());
    }

    [Fact]
    public void AGemmaSettingLlamaCppFixesOtherwiseIsRefusedOnExport()
    {
        var scaled = LlamaCppArchitecture.For(ModelConfig.Parse(Gemma2_2B.Replace("\"query_pre_attn_scalar\": 256", "\"query_pre_attn_scalar\": 144", StringComparison.Ordinal)), "config.json");
        var local = LlamaCppArchitecture.For(ModelConfig.Parse(Gemma3_1B.Replace("\"rope_local_base_freq\": 10000", "\"rope_local_base_freq\": 500", StringComparison.Ordinal)), "config.json");

        Assert.Equal(ExportErrorCodes.SettingNotExportable, Assert.Throws<LoraException>(() => scaled.HyperParameters("config.json").ToList()).Code);
        Assert.Equal(ExportErrorCodes.SettingNotExportable, Assert.Throws<LoraException>(() => local.HyperParameters("config.json").ToList()).Code);
    }
}
