using LoraBuild.Core.Models;

namespace LoraBuild.Core.Tests.Models;

public class ParameterCountsTests
{
    [Theory]
    [InlineData(nameof(PublishedConfigs.Llama2_7B), 6_738_415_616L)]
    [InlineData(nameof(PublishedConfigs.TinyLlama_1_1B), 1_100_048_384L)]
    [InlineData(nameof(PublishedConfigs.Llama3_1_8B), 8_030_261_248L)]
    [InlineData(nameof(PublishedConfigs.Mistral_7B_v0_1), 7_241_732_096L)]
    [InlineData(nameof(PublishedConfigs.Qwen2_0_5B), 494_032_768L)]
    [InlineData(nameof(PublishedConfigs.Phi3_Mini_4k), 3_821_079_552L)]
    public void TotalMatchesThePublishedParameterCount(string model, long expected)
    {
        var config = ModelConfig.Parse(Published(model));

        Assert.Equal(expected, ParameterCounts.For(config).Total);
    }

    [Fact]
    public void TiedHeadIsCountedOnce()
    {
        var counts = ParameterCounts.For(ModelConfig.Parse(PublishedConfigs.Qwen2_0_5B));

        Assert.Equal(0, counts.LanguageModelHead);
        Assert.Equal(151_936L * 896, counts.Embedding);
    }

    [Fact]
    public void DecoderLinearLayersHaveGroupedQueryShapes()
    {
        var layers = ParameterCounts.DecoderLinearLayers(ModelConfig.Parse(PublishedConfigs.TinyLlama_1_1B));

        Assert.Equal(
            [
                new LinearLayerShape("q_proj", "self_attn.q_proj", 2048, 2048, false),
                new LinearLayerShape("k_proj", "self_attn.k_proj", 2048, 256, false),
                new LinearLayerShape("v_proj", "self_attn.v_proj", 2048, 256, false),
                new LinearLayerShape("o_proj", "self_attn.o_proj", 2048, 2048, false),
                new LinearLayerShape("gate_proj", "mlp.gate_proj", 2048, 5632, false),
                new LinearLayerShape("up_proj", "mlp.up_proj", 2048, 5632, false),
                new LinearLayerShape("down_proj", "mlp.down_proj", 5632, 2048, false),
            ],
            layers);
    }

    private static string Published(string name) =>
        (string)typeof(PublishedConfigs).GetField(name)!.GetValue(null)!;
}
