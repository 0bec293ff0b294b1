using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Adapters;

public class LoraSettingsTests
{
    private static LoraSettings Settings(Dictionary<string, int>? ranks = null, Dictionary<string, double>? alphas = null) => new()
    {
        Rank = 8,
        Alpha = 16,
        Targets = AdapterTargets.FromNames(["all-linear"]),
        RankPattern = new OrderedDictionary<string, int>(ranks ?? [], StringComparer.Ordinal),
        AlphaPattern = new OrderedDictionary<string, double>(alphas ?? [], StringComparer.Ordinal),
    };

    [Fact]
    public void ScaleIsAlphaOverRankOrOverItsRootWithRsLora()
    {
        var plain = Settings();
        var stabilized = plain with { UseRslora = true };

        Assert.Equal(2.0, plain.ScaleFor(8, 16));
        Assert.Equal(16 / Math.Sqrt(8), stabilized.ScaleFor(8, 16));
        Assert.Equal(4.0, stabilized.ScaleFor(16, 16));
    }

    [Theory]
    [InlineData("model.layers.0.self_attn.q_proj", 4)]
    [InlineData("model.layers.0.mlp.down_proj", 8)]
    [InlineData("model.layers.0.self_attn.xq_proj", 8)]
    [InlineData("model.layers.1.mlp.up_proj", 2)]
    [InlineData("model.layers.10.mlp.up_proj", 8)]
    public void RankPatternKeysMatchATrailingRunOfSegments(string path, int rank)
    {
        var settings = Settings(new() { ["q_proj"] = 4, [@"layers\.1\.mlp\..*"] = 2 });

        Assert.Equal(rank, settings.RankFor(path));
    }

    [Fact]
    public void TheFirstMatchingKeyWinsAndAlphaIsLookedUpOnItsOwn()
    {
        var settings = Settings(
            new() { [@"self_attn\..*"] = 2, ["q_proj"] = 4 },
            new() { ["q_proj"] = 1.5 });

        Assert.Equal(2, settings.RankFor("model.layers.0.self_attn.q_proj"));
        Assert.Equal(1.5, settings.AlphaFor("model.layers.0.self_attn.q_proj"));
        Assert.Equal(16, settings.AlphaFor("model.layers.0.self_attn.k_proj"));
    }

    [Fact]
    public void ComesFromATrainingSpec()
    {
        var spec = new TrainingSpec
        {
            Rank = 4,
            Alpha = 8,
            Dropout = 0.1,
            TargetModules = "v_proj,q_proj",
            UseRslora = true,
            LayersToTransform = [1, 0, 1],
            RankPattern = new SortedDictionary<string, int>(StringComparer.Ordinal) { ["v_proj"] = 2 },
            SourceLocation = "lora.json",
        };

        var settings = LoraSettings.FromSpec(spec);

        Assert.Equal(4, settings.Rank);
        Assert.Equal(8, settings.Alpha);
        Assert.Equal(0.1, settings.Dropout);
        Assert.Equal(["q_proj", "v_proj"], settings.Targets.Names);
        Assert.True(settings.UseRslora);
        Assert.Equal([0, 1], settings.LayersToTransform);
        Assert.Equal(2, settings.RankFor("model.layers.0.self_attn.v_proj"));
    }

    [Fact]
    public void ASpecMayGiveARegularExpression()
    {
        var settings = LoraSettings.FromSpec(new TrainingSpec { TargetModules = "re:.*\\.(q|v)_proj" });

        Assert.Equal(".*\\.(q|v)_proj", settings.Targets.Pattern);
    }

    [Fact]
    public void AnEmptyLayerListMeansEveryLayer()
    {
        var settings = LoraSettings.FromSpec(new TrainingSpec { TargetModules = "q_proj" });

        Assert.Null(settings.LayersToTransform);
    }

    [Theory]
    [InlineData(0, 16, 0.0)]
    [InlineData(8, 0, 0.0)]
    [InlineData(8, double.NaN, 0.0)]
    [InlineData(8, 16, -0.1)]
    [InlineData(8, 16, 1.0)]
    public void OutOfRangeValuesAreCodedErrors(int rank, double alpha, double dropout)
    {
        var settings = Settings() with { Rank = rank, Alpha = alpha, Dropout = dropout };

        var error = Assert.Throws<LoraException>(() => settings.Validate("lora.json"));

        Assert.Equal(AdapterErrorCodes.FieldInvalid, error.Code);
        Assert.Equal("lora.json", error.Location);
    }

    [Fact]
    public void NegativeLayersAreCodedErrors()
    {
        var error = Assert.Throws<LoraException>(() => (Settings() with { LayersToTransform = [0, -1] }).Validate("x"));

        Assert.Equal(AdapterErrorCodes.FieldInvalid, error.Code);
    }

    [Fact]
    public void LayersCannotRestrictARegularExpressionTarget()
    {
        var settings = Settings() with { Targets = AdapterTargets.FromPattern(".*q_proj"), LayersToTransform = [0] };

        var error = Assert.Throws<LoraException>(() => settings.Validate("x"));

        Assert.Equal(AdapterErrorCodes.FieldInvalid, error.Code);
    }
}
