using LoraBuild.Core.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

public class WeightNamesTests
{
    [Fact]
    public void ParametersCarryHuggingFaceNamesAndShapes()
    {
        using var model = MicroModels.Create(MicroModels.Llama());

        var shapes = model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter.shape);

        var expected = new Dictionary<string, long[]>
        {
            ["model.embed_tokens.weight"] = [64, 32],
            ["model.norm.weight"] = [32],
            ["lm_head.weight"] = [64, 32],
        };
        for (var i = 0; i < 2; i++)
        {
            var layer = $"model.layers.{i}.";
            expected[layer + "input_layernorm.weight"] = [32];
            expected[layer + "self_attn.q_proj.weight"] = [32, 32];
            expected[layer + "self_attn.k_proj.weight"] = [16, 32];
            expected[layer + "self_attn.v_proj.weight"] = [16, 32];
            expected[layer + "self_attn.o_proj.weight"] = [32, 32];
            expected[layer + "post_attention_layernorm.weight"] = [32];
            expected[layer + "mlp.gate_proj.weight"] = [64, 32];
            expected[layer + "mlp.up_proj.weight"] = [64, 32];
            expected[layer + "mlp.down_proj.weight"] = [32, 64];
        }

        Assert.Equal(expected.Keys.Order(), shapes.Keys.Order());
        Assert.All(expected, pair => Assert.Equal(pair.Value, shapes[pair.Key]));
        Assert.Empty(model.named_buffers());
    }

    [Fact]
    public void Qwen2HasQkvBiasesAndNoOutputBias()
    {
        using var model = MicroModels.Create(MicroModels.Qwen2());

        var names = model.named_parameters().Select(pair => pair.name).ToHashSet();

        Assert.Contains("model.layers.1.self_attn.q_proj.bias", names);
        Assert.Contains("model.layers.1.self_attn.k_proj.bias", names);
        Assert.Contains("model.layers.1.self_attn.v_proj.bias", names);
        Assert.DoesNotContain("model.layers.1.self_attn.o_proj.bias", names);
        Assert.DoesNotContain("model.layers.1.mlp.up_proj.bias", names);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ParameterCountMatchesTheConfigArithmetic(bool qwen2)
    {
        var config = qwen2 ? MicroModels.Qwen2() : MicroModels.Llama();
        using var model = MicroModels.Create(config);

        var counted = model.parameters().Sum(parameter => parameter.numel());

        Assert.Equal(ParameterCounts.For(config).Total, counted);
    }
}
