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

    [Fact]
    public void PhiThreeHasFourFusedProjectionsPerLayer()
    {
        var modules = LlamaLinearModules.For(ModelConfig.Parse(PublishedConfigs.Phi3_Mini_4k));

        Assert.Equal((32 * 4) + 1, modules.Count);
        Assert.Equal(new LinearModuleInfo("model.layers.0.self_attn.qkv_proj", 3072, 3 * 3072), modules[0]);
        Assert.Equal(new LinearModuleInfo("model.layers.31.mlp.gate_up_proj", 3072, 2 * 8192), modules[(31 * 4) + 2]);
    }

    [Theory]
    [InlineData("qkv_proj,gate_up_proj")]
    [InlineData("self_attn.qkv_proj,o_proj,mlp.down_proj")]
    [InlineData("all-linear")]
    public void SpecsWithoutAModelAcceptEitherFamilysNames(string targets)
    {
        LlamaLinearModules.RequireKnownNames(AdapterTargets.ParseSpec(targets), "--targets");
    }

    [Theory]
    [InlineData("qkv_proj,o_proj,gate_up_proj,down_proj")]
    [InlineData("all-linear,lm_head")]
    [InlineData("model.layers.3.self_attn.qkv_proj")]
    public void PhiThreeNamesPassForPhiThree(string targets)
    {
        LlamaLinearModules.RequireKnownNames(AdapterTargets.ParseSpec(targets), ModelConfig.Parse(PublishedConfigs.Phi3_Mini_4k), "--targets");
    }

    [Theory]
    [InlineData("q_proj,v_proj", "q_proj")]
    [InlineData("qkv_proj,up_proj", "up_proj")]
    [InlineData("mlp.gate_proj", "mlp.gate_proj")]
    public void SeparateProjectionsAreLora1001ForPhiThree(string targets, string refused)
    {
        var error = Assert.Throws<LoraException>(
            () => LlamaLinearModules.RequireKnownNames(AdapterTargets.ParseSpec(targets), ModelConfig.Parse(PublishedConfigs.Phi3_Mini_4k), "--targets"));

        Assert.Equal(LoraErrorCodes.UnknownTargetModule, error.Code);
        Assert.Contains($"'{refused}' is not a linear layer of a Phi3ForCausalLM", error.Message, StringComparison.Ordinal);
        Assert.Contains("qkv_proj, o_proj, gate_up_proj, down_proj", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qkv_proj")]
    [InlineData("v_proj,gate_up_proj")]
    public void FusedProjectionsAreLora1001ForLlama(string targets)
    {
        var error = Assert.Throws<LoraException>(
            () => LlamaLinearModules.RequireKnownNames(AdapterTargets.ParseSpec(targets), ModelConfig.Parse(PublishedConfigs.TinyLlama_1_1B), "--targets"));

        Assert.Equal(LoraErrorCodes.UnknownTargetModule, error.Code);
        Assert.Contains("is not a linear layer of a LlamaForCausalLM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OnlyAnotherFamilysNamesAreLora1001WhenTheModelIsKnown()
    {
        var phi3 = ModelConfig.Parse(PublishedConfigs.Phi3_Mini_4k);

        LlamaLinearModules.RequireNoOtherFamilysNames(AdapterTargets.ParseSpec("qkv_proj,c_attn"), phi3, null);
        var error = Assert.Throws<LoraException>(() => LlamaLinearModules.RequireNoOtherFamilysNames(AdapterTargets.ParseSpec("c_attn,v_proj"), phi3, null));

        Assert.Equal(LoraErrorCodes.UnknownTargetModule, error.Code);
        Assert.Contains("'v_proj' is not a linear layer of a Phi3ForCausalLM", error.Message, StringComparison.Ordinal);
    }
}
