using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;
using LoraBuild.Core.Tests.Models;

namespace LoraBuild.Core.Tests.Lora;

public class LoraParameterCountTests
{
    private static readonly ModelConfig Llama2_7B = ModelConfig.Parse(PublishedConfigs.Llama2_7B);

    private static long Count(ModelConfig config, int rank, string targets) =>
        LoraParameterCount.Trainable(config, rank, AdapterTargets.ParseSpec(targets));

    [Fact]
    public void QueryAndValueAtRank8MatchTheFieldStudy()
    {
        // 32 layers × 2 projections × 8 × (4096 + 4096) = 4,194,304, what PEFT prints for Llama-2-7B.
        Assert.Equal(4_194_304, Count(Llama2_7B, 8, "q_proj,v_proj"));
    }

    [Fact]
    public void AllLinearCountsTheMlpShapes()
    {
        // per layer: 4 attention × 8·8192 + 3 MLP × 8·(4096 + 11008) = 262,144 + 362,496
        Assert.Equal(32L * (262_144 + 362_496), Count(Llama2_7B, 8, "all-linear"));
    }

    [Fact]
    public void AllLinearCountsGroupedQueryShapes()
    {
        // Per layer: 8 · ((2048+2048) + 2·(2048+256) + (2048+2048) + 3·(2048+5632)) = 286,720; 22 layers.
        Assert.Equal(6_307_840L, Count(ModelConfig.Parse(PublishedConfigs.TinyLlama_1_1B), 8, "all-linear"));
    }

    [Fact]
    public void TheOutputHeadCountsOnceWhenTargeted()
    {
        Assert.Equal(16L * (4096 + 32000), Count(Llama2_7B, 16, "lm_head"));
    }

    [Fact]
    public void ARegularExpressionCountsTheLayersItMatches()
    {
        // Layers 0–9 (ten of them) × q and v × 8 · 8192.
        Assert.Equal(10L * 2 * 8 * 8192, Count(Llama2_7B, 8, @"re:model\.layers\.[0-9]\.self_attn\.(q|v)_proj"));
    }

    [Fact]
    public void RankPatternsAndLayerRestrictionsCountAsTheyTrain()
    {
        var settings = new LoraSettings
        {
            Rank = 8,
            Alpha = 16,
            Targets = AdapterTargets.ParseSpec("q_proj,v_proj"),
            LayersToTransform = [0, 1],
            RankPattern = new Dictionary<string, int> { ["v_proj"] = 2 },
        };

        Assert.Equal(2L * ((8 * 8192) + (2 * 8192)), LoraParameterCount.Trainable(Llama2_7B, settings));
    }

    [Fact]
    public void ANameTheModelLacksIsACodedError()
    {
        var tied = ModelConfig.Parse(PublishedConfigs.Qwen2_0_5B);

        var error = Assert.Throws<LoraException>(() => Count(tied, 8, "lm_head"));

        Assert.Equal(LoraErrorCodes.TargetNotFound, error.Code);
    }

    [Fact]
    public void ANonPositiveRankIsRejected()
    {
        var error = Assert.Throws<LoraException>(() => Count(Llama2_7B, 0, "q_proj"));

        Assert.Equal(LoraErrorCodes.RankInvalid, error.Code);
    }
}
