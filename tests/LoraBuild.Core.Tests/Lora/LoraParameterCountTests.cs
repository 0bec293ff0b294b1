using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Tests.Lora;

public class LoraParameterCountTests
{
    private static readonly ModelConfig Llama2_7B = ModelConfig.Parse("""
        {"architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "intermediate_size": 11008,
         "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 32,
         "vocab_size": 32000, "rms_norm_eps": 1e-5, "max_position_embeddings": 4096}
        """);

    [Fact]
    public void QueryAndValueAtRank8MatchTheFieldStudy()
    {
        // 32 layers × 2 projections × 8 × (4096 + 4096) = 4,194,304, the figure the LoRA field study reports.
        Assert.Equal(4_194_304, LoraParameterCount.Trainable(Llama2_7B, 8, LoraTargetModules.Parse("q_proj,v_proj")));
    }

    [Fact]
    public void AllLinearCountsTheMlpShapes()
    {
        // per layer: 4 attention × 8·8192 + 3 MLP × 8·(4096 + 11008) = 262,144 + 362,496
        Assert.Equal(32L * (262_144 + 362_496), LoraParameterCount.Trainable(Llama2_7B, 8, LoraTargetModules.Parse("all-linear")));
    }

    [Fact]
    public void TheOutputHeadCountsOnceWhenTargeted()
    {
        Assert.Equal(16L * (4096 + 32000), LoraParameterCount.Trainable(Llama2_7B, 16, LoraTargetModules.Parse("lm_head")));
    }

    [Fact]
    public void ANonPositiveRankIsRejected()
    {
        var error = Assert.Throws<LoraException>(() => LoraParameterCount.Trainable(Llama2_7B, 0, LoraTargetModules.Parse("q_proj")));

        Assert.Equal(LoraErrorCodes.RankInvalid, error.Code);
    }
}
