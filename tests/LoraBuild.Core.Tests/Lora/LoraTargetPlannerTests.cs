using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;

namespace LoraBuild.Core.Tests.Lora;

public class LoraTargetPlannerTests
{
    private static readonly string[] s_projections = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];

    /// <summary>The linear layers of a 2-layer Llama (width 32, 2 of 4 heads for k/v, FFN 64, vocab 64), in model order.</summary>
    private static List<LinearModuleInfo> Llama(int layers = 2)
    {
        var modules = new List<LinearModuleInfo>();
        for (var i = 0; i < layers; i++)
        {
            modules.AddRange(s_projections.Select(name => new LinearModuleInfo($"model.layers.{i}.{name}", name == "mlp.down_proj" ? 64 : 32, Out(name))));
        }

        modules.Add(new LinearModuleInfo("lm_head", 32, 64));
        return modules;

        static long Out(string name) => name switch
        {
            "self_attn.k_proj" or "self_attn.v_proj" => 16,
            "mlp.gate_proj" or "mlp.up_proj" => 64,
            _ => 32,
        };
    }

    private static LoraSettings Settings(string targets, IReadOnlyList<int>? layers = null) => new()
    {
        Rank = 8,
        Alpha = 16,
        Targets = AdapterTargets.ParseSpec(targets),
        LayersToTransform = layers,
    };

    private static IEnumerable<string> Paths(LoraTargetPlan plan) => plan.Targets.Select(target => target.Path);

    [Fact]
    public void NamesSelectEveryLayersModulesInModelOrder()
    {
        var plan = LoraTargetPlanner.Plan(Llama(), "lm_head", Settings("v_proj,q_proj"));

        Assert.Equal(
            ["model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj", "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj"],
            Paths(plan));
        Assert.Equal(["q_proj", "v_proj"], plan.ResolvedTargets.Names);
    }

    [Fact]
    public void AllLinearIsEveryLinearLayerButTheOutputHeadAndResolvesToLeafNames()
    {
        var plan = LoraTargetPlanner.Plan(Llama(), "lm_head", Settings("all-linear"));

        Assert.Equal(14, plan.Targets.Count);
        Assert.DoesNotContain("lm_head", Paths(plan));
        Assert.False(plan.ResolvedTargets.AllLinear);
        Assert.Equal(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"], plan.ResolvedTargets.Names);
    }

    [Fact]
    public void AllLinearWithTheHeadNamedAddsTheHead()
    {
        var plan = LoraTargetPlanner.Plan(Llama(), "lm_head", Settings("all-linear,lm_head"));

        Assert.Equal(15, plan.Targets.Count);
        Assert.Equal("lm_head", plan.Targets[^1].Path);
        Assert.Equal((32L, 64L), (plan.Targets[^1].InFeatures, plan.Targets[^1].OutFeatures));
    }

    [Fact]
    public void LayersToTransformRestrictsSuffixMatchesButNotWholePathNames()
    {
        var plan = LoraTargetPlanner.Plan(Llama(3), "lm_head", Settings("q_proj,lm_head", layers: [0, 2]));

        Assert.Equal(["model.layers.0.self_attn.q_proj", "model.layers.2.self_attn.q_proj", "lm_head"], Paths(plan));
    }

    [Fact]
    public void ARegularExpressionMustMatchTheWholePath()
    {
        var plan = LoraTargetPlanner.Plan(Llama(), "lm_head", Settings(@"re:model\.layers\.1\.mlp\.(gate|up)_proj"));

        Assert.Equal(["model.layers.1.mlp.gate_proj", "model.layers.1.mlp.up_proj"], Paths(plan));
        Assert.Equal(@"model\.layers\.1\.mlp\.(gate|up)_proj", plan.ResolvedTargets.Pattern);
    }

    [Fact]
    public void RankAndAlphaPatternsOverrideThePerModuleValues()
    {
        var settings = Settings("q_proj,k_proj") with
        {
            RankPattern = new SortedDictionary<string, int>(StringComparer.Ordinal) { [@"layers\.1\.self_attn\.q_proj"] = 2 },
            AlphaPattern = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["k_proj"] = 4 },
        };

        var plan = LoraTargetPlanner.Plan(Llama(), "lm_head", settings);

        var byPath = plan.Targets.ToDictionary(target => target.Path);
        Assert.Equal((8, 16.0), (byPath["model.layers.0.self_attn.q_proj"].Rank, byPath["model.layers.0.self_attn.q_proj"].Alpha));
        Assert.Equal((2, 16.0), (byPath["model.layers.1.self_attn.q_proj"].Rank, byPath["model.layers.1.self_attn.q_proj"].Alpha));
        Assert.Equal((8, 4.0), (byPath["model.layers.1.self_attn.k_proj"].Rank, byPath["model.layers.1.self_attn.k_proj"].Alpha));
    }

    [Fact]
    public void ANameThatMatchesNothingIsACodedErrorListingTheModelsLayers()
    {
        var error = Assert.Throws<LoraException>(() => LoraTargetPlanner.Plan(Llama(), "lm_head", Settings("q_proj,query_key_value")));

        Assert.Equal(LoraErrorCodes.TargetNotFound, error.Code);
        Assert.Contains("'query_key_value'", error.Message, StringComparison.Ordinal);
        Assert.Contains("model.layers.{i}.self_attn.q_proj, model.layers.{i}.self_attn.k_proj", error.Message, StringComparison.Ordinal);
        Assert.Contains("lm_head", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("model.layers.1.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APatternThatMatchesNothingIsACodedError()
    {
        var error = Assert.Throws<LoraException>(() => LoraTargetPlanner.Plan(Llama(), "lm_head", Settings("re:.*attention.*")));

        Assert.Equal(LoraErrorCodes.TargetNotFound, error.Code);
    }

    [Fact]
    public void ALayerTheModelLacksIsACodedError()
    {
        var error = Assert.Throws<LoraException>(() => LoraTargetPlanner.Plan(Llama(), "lm_head", Settings("q_proj", layers: [1, 5])));

        Assert.Equal(LoraErrorCodes.LayerNotFound, error.Code);
        Assert.Contains("5", error.Message, StringComparison.Ordinal);
        Assert.Contains("0–1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetsThatExistOnlyOutsideTheChosenLayersAreACodedError()
    {
        List<LinearModuleInfo> modules = [new("model.layers.0.mlp.up_proj", 4, 4), new("vision.out_proj", 4, 4)];

        var error = Assert.Throws<LoraException>(() => LoraTargetPlanner.Plan(modules, null, Settings("out_proj", layers: [0])));

        Assert.Equal(LoraErrorCodes.NothingTargeted, error.Code);
    }

    [Theory]
    [InlineData("model.layers.12.self_attn.q_proj", 12)]
    [InlineData("model.layers.3.mlp.down_proj", 3)]
    [InlineData("lm_head", null)]
    [InlineData("model.norm", null)]
    public void TheLayerIndexIsTheNumberedSegment(string path, int? index)
    {
        Assert.Equal(index, LoraTargetPlanner.LayerIndex(path));
    }
}
