using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;
using LoraBuild.Core.Tests.Models;

namespace LoraBuild.Core.Tests.Lora;

public class LlamaLinearModulesTests
{
    [Fact]
    public void EveryLayersProjectionsComeInModelOrderWithTheHeadLast()
    {
        var modules = LlamaLinearModules.For(ModelConfig.Parse(PublishedConfigs.TinyLlama_1_1B));

        Assert.Equal(22 * 7 + 1, modules.Count);
        Assert.Equal(new LinearModuleInfo("model.layers.0.self_attn.q_proj", 2048, 2048), modules[0]);
        Assert.Equal(new LinearModuleInfo("model.layers.21.self_attn.k_proj", 2048, 256), modules[(21 * 7) + 1]);
        Assert.Equal(new LinearModuleInfo("lm_head", 2048, 32000), modules[^1]);
    }

    [Fact]
    public void ATiedHeadIsNoLinearLayer()
    {
        var config = ModelConfig.Parse(PublishedConfigs.Qwen2_0_5B);

        Assert.DoesNotContain(LlamaLinearModules.For(config), module => module.Path == "lm_head");
        Assert.Null(LlamaLinearModules.OutputHeadPath(config));
    }

    [Theory]
    [InlineData("q_proj,v_proj")]
    [InlineData("self_attn.o_proj,mlp.down_proj")]
    [InlineData("model.layers.17.mlp.up_proj")]
    [InlineData("all-linear,lm_head")]
    [InlineData("re:.*attention.*")]
    public void LlamaLayerNamesAndPatternsPass(string targets)
    {
        LlamaLinearModules.RequireKnownNames(AdapterTargets.ParseSpec(targets), "--targets");
    }

    [Theory]
    [InlineData("q_proj,qkv")]
    [InlineData("mlp.q_proj")]
    [InlineData("c_attn")]
    [InlineData("layers")]
    public void NamesNoLlamaLayerHasAreLora1001(string targets)
    {
        var error = Assert.Throws<LoraException>(() => LlamaLinearModules.RequireKnownNames(AdapterTargets.ParseSpec(targets), "--targets"));

        Assert.Equal(LoraErrorCodes.UnknownTargetModule, error.Code);
        Assert.Equal("--targets", error.Location);
    }
}
