using System.Text.Json.Nodes;
using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Models;
using LoraBuild.Core.Tests.Models;

namespace LoraBuild.Core.Tests.Export;

public class LlamaCppArchitectureTests
{
    [Theory]
    [InlineData("model.embed_tokens", "token_embd")]
    [InlineData("model.norm", "output_norm")]
    [InlineData("lm_head", "output")]
    [InlineData("model.layers.0.input_layernorm", "blk.0.attn_norm")]
    [InlineData("model.layers.0.self_attn.q_proj", "blk.0.attn_q")]
    [InlineData("model.layers.1.self_attn.k_proj", "blk.1.attn_k")]
    [InlineData("model.layers.2.self_attn.v_proj", "blk.2.attn_v")]
    [InlineData("model.layers.3.self_attn.o_proj", "blk.3.attn_output")]
    [InlineData("model.layers.10.post_attention_layernorm", "blk.10.ffn_norm")]
    [InlineData("model.layers.31.mlp.gate_proj", "blk.31.ffn_gate")]
    [InlineData("model.layers.79.mlp.up_proj", "blk.79.ffn_up")]
    [InlineData("model.layers.123456.mlp.down_proj", "blk.123456.ffn_down")]
    public void ModulesHaveLlamaCppNames(string module, string name) => Assert.Equal(name, LlamaCppArchitecture.TensorBaseName(module));

    [Theory]
    [InlineData("model.embed_tokens.weight")] // a tensor, not a module
    [InlineData("model.layers.0.self_attn.q_proj.weight")]
    [InlineData("model.layers.0.self_attn.rotary_emb")]
    [InlineData("model.layers.0.mlp.act_fn")]
    [InlineData("model.layers.0.q_proj")]
    [InlineData("model.layers.01.self_attn.q_proj")] // not how Hugging Face numbers layers
    [InlineData("model.layers.x.self_attn.q_proj")]
    [InlineData("model.layers.-1.self_attn.q_proj")]
    [InlineData("layers.0.self_attn.q_proj")]
    [InlineData("model.layers.0.self_attn.q_proj.lora_A")]
    [InlineData("embed_tokens")]
    [InlineData("")]
    public void UnknownModulesHaveNoName(string module) => Assert.Null(LlamaCppArchitecture.TensorBaseName(module));

    [Fact]
    public void LlamaAndMistralAreLlamaAndPermuteQueryAndKey()
    {
        var llama = LlamaCppArchitecture.For(ModelConfig.Parse(PublishedConfigs.Llama3_1_8B), "config.json");
        var mistral = LlamaCppArchitecture.For(ModelConfig.Parse(PublishedConfigs.Mistral_7B_v0_1), "config.json");

        Assert.Equal("llama", llama.Name);
        Assert.True(llama.PermutesQueryAndKey);
        Assert.Equal("llama", mistral.Name);
        Assert.True(mistral.PermutesQueryAndKey);
    }

    [Fact]
    public void QueriesPermuteByHeadsAndKeysByKeyValueHeads()
    {
        var llama = LlamaCppArchitecture.For(ModelConfig.Parse(PublishedConfigs.Llama3_1_8B), "config.json");

        Assert.Equal(32, llama.PermutationHeads("model.layers.0.self_attn.q_proj"));
        Assert.Equal(8, llama.PermutationHeads("model.layers.7.self_attn.k_proj"));
        Assert.Null(llama.PermutationHeads("model.layers.0.self_attn.v_proj"));
        Assert.Null(llama.PermutationHeads("model.layers.0.self_attn.o_proj"));
        Assert.Null(llama.PermutationHeads("model.layers.0.mlp.gate_proj"));
        Assert.Null(llama.PermutationHeads("model.embed_tokens"));
    }

    [Fact]
    public void Qwen2IsQwen2AndPermutesNothing()
    {
        var qwen = LlamaCppArchitecture.For(ModelConfig.Parse(PublishedConfigs.Qwen2_0_5B), "config.json");

        Assert.Equal("qwen2", qwen.Name);
        Assert.False(qwen.PermutesQueryAndKey);
        Assert.Null(qwen.PermutationHeads("model.layers.0.self_attn.q_proj"));
        Assert.Null(qwen.PermutationHeads("model.layers.0.self_attn.k_proj"));
    }

    [Fact]
    public void Llama31HyperParametersAreLlamaCppKeys()
    {
        // Llama 3.1's rope_scaling (rope_type llama3) becomes a rope_freqs tensor, so it adds no keys here.
        var llama = LlamaCppArchitecture.For(ModelConfig.Parse(PublishedConfigs.Llama3_1_8B), "config.json");

        var keys = llama.HyperParameters("config.json").ToList();

        Assert.Equal(
            [
                Entry("llama.context_length", GgufValue.Of(131072u)),
                Entry("llama.embedding_length", GgufValue.Of(4096u)),
                Entry("llama.block_count", GgufValue.Of(32u)),
                Entry("llama.feed_forward_length", GgufValue.Of(14336u)),
                Entry("llama.rope.dimension_count", GgufValue.Of(128u)),
                Entry("llama.attention.head_count", GgufValue.Of(32u)),
                Entry("llama.attention.head_count_kv", GgufValue.Of(8u)),
                Entry("llama.rope.freq_base", GgufValue.Of(500000f)),
                Entry("llama.attention.layer_norm_rms_epsilon", GgufValue.Of(1e-5f)),
                Entry("llama.vocab_size", GgufValue.Of(128256u)),
            ],
            keys);
    }

    [Fact]
    public void Qwen2HyperParametersUseTheQwen2Prefix()
    {
        var qwen = LlamaCppArchitecture.For(ModelConfig.Parse(PublishedConfigs.Qwen2_0_5B), "config.json");

        var keys = qwen.HyperParameters("config.json").ToDictionary(pair => pair.Key, pair => pair.Value);

        Assert.All(keys.Keys, key => Assert.StartsWith("qwen2.", key, StringComparison.Ordinal));
        Assert.Equal(GgufValue.Of(896u), keys["qwen2.embedding_length"]);
        Assert.Equal(GgufValue.Of(64u), keys["qwen2.rope.dimension_count"]);
        Assert.Equal(GgufValue.Of(14u), keys["qwen2.attention.head_count"]);
        Assert.Equal(GgufValue.Of(2u), keys["qwen2.attention.head_count_kv"]);
        Assert.Equal(GgufValue.Of(1000000f), keys["qwen2.rope.freq_base"]);
        Assert.Equal(GgufValue.Of(1e-6f), keys["qwen2.attention.layer_norm_rms_epsilon"]);
        Assert.False(keys.ContainsKey("qwen2.attention.key_length"));
        Assert.False(keys.ContainsKey("qwen2.rope.scaling.type"));
    }

    [Fact]
    public void KeyAndValueLengthsAreWrittenOnlyWhenHeadsDoNotSpanTheHiddenSize()
    {
        var standard = ModelConfig.Parse(PublishedConfigs.TinyLlama_1_1B); // 32 heads of 64 = 2048
        var wide = ModelConfig.Parse(ConfigJson.With(PublishedConfigs.TinyLlama_1_1B, root => root["head_dim"] = 96));

        var standardKeys = LlamaCppArchitecture.For(standard, "config.json").HyperParameters("config.json").Select(pair => pair.Key).ToList();
        var wideKeys = LlamaCppArchitecture.For(wide, "config.json").HyperParameters("config.json").ToList();

        Assert.DoesNotContain("llama.attention.key_length", standardKeys);
        Assert.DoesNotContain("llama.attention.value_length", standardKeys);
        Assert.Equal(GgufValue.Of(96u), wideKeys.Single(pair => pair.Key == "llama.attention.key_length").Value);
        Assert.Equal(GgufValue.Of(96u), wideKeys.Single(pair => pair.Key == "llama.attention.value_length").Value);
        Assert.Equal(GgufValue.Of(96u), wideKeys.Single(pair => pair.Key == "llama.rope.dimension_count").Value);
        Assert.Equal(standardKeys.Count + 2, wideKeys.Count);
    }

    [Fact]
    public void LinearRopeScalingAddsTypeAndFactor()
    {
        var json = ConfigJson.With(PublishedConfigs.Llama2_7B, root => root["rope_scaling"] = new JsonObject { ["type"] = "linear", ["factor"] = 4.0 });
        var architecture = LlamaCppArchitecture.For(ModelConfig.Parse(json), "config.json");

        var keys = architecture.HyperParameters("config.json").ToList();

        Assert.Equal(
            [Entry("llama.rope.scaling.type", GgufValue.Of("linear")), Entry("llama.rope.scaling.factor", GgufValue.Of(4f))],
            keys.Where(pair => pair.Key.StartsWith("llama.rope.scaling.", StringComparison.Ordinal)));
        Assert.Equal(GgufValue.Of(10000f), keys.Single(pair => pair.Key == "llama.rope.freq_base").Value);
    }

    [Fact]
    public void UnscaledAndLlama3ScaledRopeAddNoScalingKeys()
    {
        var unscaled = LlamaCppArchitecture.For(ModelConfig.Parse(PublishedConfigs.Llama2_7B), "config.json");
        var llama3 = LlamaCppArchitecture.For(ModelConfig.Parse(PublishedConfigs.Llama3_1_8B), "config.json");

        Assert.DoesNotContain(unscaled.HyperParameters("config.json"), pair => pair.Key.Contains("scaling", StringComparison.Ordinal));
        Assert.DoesNotContain(llama3.HyperParameters("config.json"), pair => pair.Key.Contains("scaling", StringComparison.Ordinal));
        Assert.Equal(
            unscaled.HyperParameters("config.json").Select(pair => pair.Key[6..]),
            llama3.HyperParameters("config.json").Select(pair => pair.Key[6..]));
    }

    private static KeyValuePair<string, GgufValue> Entry(string key, GgufValue value) => KeyValuePair.Create(key, value);
}
