using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Tests.Adapters;

public class AdapterTargetsTests
{
    [Theory]
    [InlineData("model.layers.0.self_attn.q_proj", true)]
    [InlineData("q_proj", true)]
    [InlineData("model.layers.0.self_attn.xq_proj", false)]
    [InlineData("model.layers.0.self_attn.q_proj.base_layer", false)]
    [InlineData("model.layers.0.self_attn.k_proj", false)]
    public void ANameMatchesTheWholePathOrItsLastSegments(string path, bool expected)
    {
        var targets = AdapterTargets.FromNames(["q_proj"]);

        Assert.Equal(expected, targets.MatchesExplicitly(path, out _));
    }

    [Fact]
    public void ANameMayHoldSeveralSegments()
    {
        var targets = AdapterTargets.FromNames(["self_attn.q_proj"]);

        Assert.True(targets.MatchesExplicitly("model.layers.1.self_attn.q_proj", out var exact));
        Assert.False(exact);
        Assert.False(targets.MatchesExplicitly("model.layers.1.cross_attn.q_proj", out _));
    }

    [Fact]
    public void OnlyAWholePathNameIsAnExactMatch()
    {
        var targets = AdapterTargets.FromNames(["lm_head", "q_proj"]);

        Assert.True(targets.MatchesExplicitly("lm_head", out var exact));
        Assert.True(exact);
    }

    [Theory]
    [InlineData("model.layers.1.self_attn.q_proj", true)]
    [InlineData("model.layers.1.self_attn.v_proj", true)]
    [InlineData("model.layers.1.self_attn.k_proj", false)]
    [InlineData("xmodel.layers.1.self_attn.q_proj", false)]
    [InlineData("model.layers.1.self_attn.q_proj.lora_A", false)]
    public void APatternMustMatchTheWholePath(string path, bool expected)
    {
        var targets = AdapterTargets.ParseSpec(@"re:model\.layers\.\d+\.self_attn\.(q|v)_proj");

        Assert.Equal(expected, targets.MatchesExplicitly(path, out _));
    }

    [Fact]
    public void SpecListsAreSplitSortedAndDeduplicated()
    {
        var targets = AdapterTargets.ParseSpec(" v_proj, q_proj;v_proj ");

        Assert.Equal(["q_proj", "v_proj"], targets.Names);
        Assert.False(targets.AllLinear);
        Assert.Null(targets.Pattern);
        Assert.Equal("q_proj,v_proj", targets.ToString());
    }

    [Fact]
    public void AllLinearMayComeWithExtraNames()
    {
        var targets = AdapterTargets.ParseSpec("all-linear,lm_head");

        Assert.True(targets.AllLinear);
        Assert.Equal(["lm_head"], targets.Names);
        Assert.Equal("all-linear,lm_head", targets.ToString());
    }

    [Theory]
    [InlineData("", AdapterErrorCodes.TargetsInvalid)]
    [InlineData(" , ", AdapterErrorCodes.TargetsInvalid)]
    [InlineData("q_proj,.v_proj", AdapterErrorCodes.TargetsInvalid)]
    [InlineData("q_proj,v*", AdapterErrorCodes.TargetsInvalid)]
    [InlineData("re:", AdapterErrorCodes.PatternInvalid)]
    [InlineData("re:(unclosed", AdapterErrorCodes.PatternInvalid)]
    public void BadSpecsAreCodedErrors(string value, string code)
    {
        var error = Assert.Throws<LoraException>(() => AdapterTargets.ParseSpec(value, "lora.json [targetModules]"));

        Assert.Equal(code, error.Code);
        Assert.Equal("lora.json [targetModules]", error.Location);
    }
}
