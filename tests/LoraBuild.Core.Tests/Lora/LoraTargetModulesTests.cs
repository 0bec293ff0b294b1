using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;

namespace LoraBuild.Core.Tests.Lora;

public class LoraTargetModulesTests
{
    [Fact]
    public void AllLinearIsEveryDecoderProjectionButNotTheHead()
    {
        var targets = LoraTargetModules.Parse("all-linear");

        Assert.Equal(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], targets.Names);
        Assert.False(targets.IncludesOutputHead);
    }

    [Fact]
    public void NamesComeOutInModelOrderWithoutDuplicates()
    {
        var targets = LoraTargetModules.Parse(" v_proj, lm_head,q_proj,v_proj ");

        Assert.Equal(["q_proj", "v_proj", "lm_head"], targets.Names);
        Assert.True(targets.IncludesOutputHead);
    }

    [Theory]
    [InlineData("q_proj,query", LoraErrorCodes.UnknownTargetModule)]
    [InlineData("", LoraErrorCodes.NoTargetModules)]
    [InlineData(" , ", LoraErrorCodes.NoTargetModules)]
    public void BadListsAreCodedErrors(string value, string code)
    {
        var error = Assert.Throws<LoraException>(() => LoraTargetModules.Parse(value, "item SupportTriage"));

        Assert.Equal(code, error.Code);
        Assert.Equal("item SupportTriage", error.Location);
    }
}
