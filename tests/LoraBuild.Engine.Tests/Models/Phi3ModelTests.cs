using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

/// <summary>Phi-3's fused projections in the engine, against the same weights split into the Llama block's projections.</summary>
public class Phi3ModelTests
{
    private const string Phi3 = """
        {"architectures": ["Phi3ForCausalLM"], "hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 64, "rms_norm_eps": 1e-5,
         "max_position_embeddings": 128, "sliding_window": 3, "rope_theta": 500.0}
        """;

    [Fact]
    public void FusedProjectionsComputeWhatTheirSplitRowsComputeAsSeparateProjections()
    {
        using var scope = NewDisposeScope();
        var config = ModelConfig.Parse(Phi3);
        using var phi = MicroModels.Create(config, seed: 4);
        using var mistral = CausalLanguageModel.Create(
            config with { Family = ModelFamily.Mistral, Architecture = "MistralForCausalLM", ModelType = "mistral" }, ScalarType.Float32, CPU);
        mistral.LoadStateDict(SplitFusedWeights(MicroModels.StateDict(phi), config));
        var ids = MicroModels.Ids(1, 5, 9, 2, 7, 3, 11, 4, 6);

        using var noGrad = no_grad();
        var fused = phi.ForwardLogits(ids);
        var separate = mistral.ForwardLogits(ids);

        Assert.True(fused.allclose(separate, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void SwappingTheGateAndUpHalvesChangesTheOutput()
    {
        using var scope = NewDisposeScope();
        using var phi = MicroModels.Create(ModelConfig.Parse(Phi3), seed: 4);
        using var swapped = MicroModels.Create(ModelConfig.Parse(Phi3), seed: 4);
        using (no_grad())
        {
            var weight = swapped.get_parameter("model.layers.0.mlp.gate_up_proj.weight")!;
            var halves = weight.detach().clone().chunk(2, 0);
            weight.copy_(cat([halves[1], halves[0]], 0));
        }

        var ids = MicroModels.Ids(1, 5, 9, 2);
        using var noGrad = no_grad();

        Assert.False(phi.ForwardLogits(ids).allclose(swapped.ForwardLogits(ids), rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void TheDescriptorCountsEveryTensorOfTheModel()
    {
        var config = ModelConfig.Parse(Phi3);
        using var model = CausalLanguageModel.Create(config, ScalarType.Float32, CPU);
        var names = model.named_parameters().Select(pair => pair.name).ToList();

        Assert.Equal(ParameterCounts.For(config).Total, model.parameters().Sum(parameter => parameter.numel()));
        Assert.Contains("model.layers.1.self_attn.qkv_proj.weight", names);
        Assert.Contains("model.layers.1.mlp.gate_up_proj.weight", names);
        Assert.DoesNotContain(names, name => name.Contains("q_proj.", StringComparison.Ordinal) && !name.Contains("qkv_proj.", StringComparison.Ordinal));
        Assert.Equal([(4L + 2 + 2) * 8, 32L], model.get_parameter("model.layers.0.self_attn.qkv_proj.weight")!.shape);
        Assert.Throws<InvalidOperationException>(() => model.Layers[0].SelfAttention.QProj);
        Assert.Throws<InvalidOperationException>(() => model.Layers[0].Mlp.UpProj);
    }

    [Fact]
    public void CachedDecodingAgreesWithAFullForwardThroughTheWindow()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(ModelConfig.Parse(Phi3), seed: 5);
        using var noGrad = no_grad();
        var ids = MicroModels.Ids(3, 1, 4, 1, 5, 9, 2, 6);
        var full = model.ForwardLogits(ids);

        var stepped = MicroModels.SteppedLogits(model, ids, prefix: 5);

        Assert.True(stepped.allclose(full.narrow(1, 5, 3), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void AllLinearLoraWrapsTheFourFusedProjectionsWithLoraBOverTheFusedRows()
    {
        using var scope = NewDisposeScope();
        var config = ModelConfig.Parse(Phi3);
        using var model = MicroModels.Create(config, seed: 2);
        using var init = new Generator(11, CPU);
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Targets = AdapterTargets.ParseSpec("all-linear"), Dropout = 0 };

        var adapter = LoraInjector.Apply(model, settings, init, dropoutGenerator: null);

        Assert.Equal(
            ["model.layers.0.self_attn.qkv_proj", "model.layers.0.self_attn.o_proj", "model.layers.0.mlp.gate_up_proj", "model.layers.0.mlp.down_proj"],
            adapter.Layers.Take(4).Select(layer => layer.Path));
        Assert.Equal(4 * config.NumHiddenLayers, adapter.Layers.Count);
        Assert.Equal([64L, 4L], adapter.Layers[0].Layer.LoraB.weight.shape);
        Assert.Equal([96L, 4L], adapter.Layers[2].Layer.LoraB.weight.shape);
    }

    [Theory]
    [InlineData("q_proj,v_proj")]
    [InlineData("gate_proj")]
    public void SeparateProjectionTargetsAreLora1001(string targets)
    {
        using var model = MicroModels.Create(ModelConfig.Parse(Phi3), seed: 2);
        using var init = new Generator(11, CPU);
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Targets = AdapterTargets.ParseSpec(targets) };

        var error = Assert.Throws<LoraException>(() => LoraInjector.Apply(model, settings, init, dropoutGenerator: null));

        Assert.Equal(LoraErrorCodes.UnknownTargetModule, error.Code);
        Assert.Contains("Phi3ForCausalLM", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Phi-3's state dict in the Llama block's names: qkv rows split into q, k, v; gate_up rows into gate, up.</summary>
    private static Dictionary<string, Tensor> SplitFusedWeights(Dictionary<string, Tensor> fused, ModelConfig config)
    {
        var split = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var queryRows = config.NumAttentionHeads * config.HeadDim;
        var keyValueRows = config.NumKeyValueHeads * config.HeadDim;
        foreach (var (name, weight) in fused)
        {
            if (name.EndsWith(".self_attn.qkv_proj.weight", StringComparison.Ordinal))
            {
                var prefix = name[..^"qkv_proj.weight".Length];
                split[prefix + "q_proj.weight"] = weight.narrow(0, 0, queryRows);
                split[prefix + "k_proj.weight"] = weight.narrow(0, queryRows, keyValueRows);
                split[prefix + "v_proj.weight"] = weight.narrow(0, queryRows + keyValueRows, keyValueRows);
            }
            else if (name.EndsWith(".mlp.gate_up_proj.weight", StringComparison.Ordinal))
            {
                var prefix = name[..^"gate_up_proj.weight".Length];
                split[prefix + "gate_proj.weight"] = weight.narrow(0, 0, config.IntermediateSize);
                split[prefix + "up_proj.weight"] = weight.narrow(0, config.IntermediateSize, config.IntermediateSize);
            }
            else
            {
                split[name] = weight;
            }
        }

        return split;
    }
}
