using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tests.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

/// <summary>LoRA layers on the micro Llama (2 layers, width 32, 4 query heads and 2 key/value heads of 8, FFN 64, vocab 64).</summary>
public class LoraInjectorModelTests
{
    private static readonly long[] s_ids = [1, 5, 9, 17, 33, 2, 60, 7];

    private static LoraSettings Settings(string targets = "all-linear", int rank = 4) =>
        new() { Rank = rank, Alpha = 8, Targets = AdapterTargets.ParseSpec(targets) };

    private static LoraAdapter Inject(CausalLanguageModel model, LoraSettings settings, long seed = 42)
    {
        using var generator = new Generator((ulong)seed, CPU);
        return LoraInjector.Apply(model, settings, generator, null);
    }

    [Fact]
    public void WithBAtZeroTheLogitsAreTheBaseModelsExactly()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        using var ids = MicroModels.Ids(s_ids);
        using var before = model.call(ids);

        Inject(model, Settings());
        using var after = model.call(ids);

        Assert.True(LoraTestLayers.Identical(before, after));
    }

    [Fact]
    public void MergedLogitsEqualUnmergedOnesAndUnmergingRestoresTheBase()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        using var ids = MicroModels.Ids(s_ids);
        var baseWeights = MicroModels.StateDict(model);
        var adapter = Inject(model, Settings());
        foreach (var (entry, index) in adapter.Layers.Select((entry, index) => (entry, index)))
        {
            LoraTestLayers.RandomizeB(entry.Layer, seed: 100 + index);
        }

        using var unmerged = model.call(ids);
        adapter.Merge();
        using var merged = model.call(ids);
        adapter.Unmerge();
        using var restored = model.call(ids);

        Assert.True(LoraTestLayers.RelativeError(unmerged, merged) < 1e-5);
        Assert.True(LoraTestLayers.RelativeError(unmerged, restored) < 1e-6);
        foreach (var entry in adapter.Layers)
        {
            Assert.True(LoraTestLayers.RelativeError(entry.Layer.BaseLinear().weight, baseWeights[entry.Path + ".weight"]) < 1e-6);
        }

        foreach (var tensor in baseWeights.Values)
        {
            tensor.Dispose();
        }
    }

    [Theory]
    [InlineData("all-linear", 2 * 7)]
    [InlineData(@"re:model\.layers\.1\.(self_attn|mlp)\.[a-z]+_proj", 7)]
    [InlineData("q_proj,lm_head", 3)]
    public void OnlyLoraParametersTrainAndTheirCountMatchesTheConfigurationsCount(string targets, int layers)
    {
        var config = MicroModels.Llama();
        using var model = MicroModels.Create(config);
        var settings = Settings(targets, rank: 4) with { RankPattern = new Dictionary<string, int> { ["q_proj"] = 2 } };

        var adapter = Inject(model, settings);

        var trainable = model.named_parameters().Where(pair => pair.parameter.requires_grad).ToList();
        Assert.All(trainable, pair => Assert.Contains(".lora_", pair.name, StringComparison.Ordinal));
        Assert.Equal(layers * 2, trainable.Count);
        var expected = LoraParameterCount.Trainable(config, settings);
        Assert.Equal(expected, trainable.Sum(pair => pair.parameter.numel()));
        Assert.Equal(expected, adapter.TrainableParameterCount);
        Assert.Equal(trainable.Select(pair => pair.parameter.Handle), adapter.TrainableParameters().Select(parameter => parameter.Handle));
    }

    [Fact]
    public void BackwardReachesOnlyTheLoraMatrices()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        using var ids = MicroModels.Ids(s_ids);
        var adapter = Inject(model, Settings("q_proj,v_proj"));

        using (var logits = model.call(ids))
        using (var loss = logits.square().mean())
        {
            loss.backward();
        }

        Assert.All(model.named_parameters().Where(pair => !pair.name.Contains(".lora_", StringComparison.Ordinal)), pair => Assert.Null(pair.parameter.grad));

        // With B at zero, dL/dA = 0 while dL/dB ≠ 0: the first step moves B only.
        Assert.All(adapter.Layers, entry => Assert.True(entry.Layer.LoraB.weight.grad!.abs().sum().item<float>() > 0));
        Assert.All(adapter.Layers, entry => Assert.Equal(0f, entry.Layer.LoraA.weight.grad!.abs().sum().item<float>()));
    }

    [Fact]
    public void EveryProjectionGetsPeftsNamesAndShapesIncludingGroupedKeyValueHeads()
    {
        using var model = MicroModels.Create(MicroModels.Llama(keyValueHeads: 2));

        Inject(model, Settings(rank: 4));

        var shapes = model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter.shape);
        foreach (var layer in new[] { 0, 1 })
        {
            var at = $"model.layers.{layer}.";
            AssertPair(shapes, at + "self_attn.q_proj", inFeatures: 32, outFeatures: 32);
            AssertPair(shapes, at + "self_attn.k_proj", inFeatures: 32, outFeatures: 16);
            AssertPair(shapes, at + "self_attn.v_proj", inFeatures: 32, outFeatures: 16);
            AssertPair(shapes, at + "self_attn.o_proj", inFeatures: 32, outFeatures: 32);
            AssertPair(shapes, at + "mlp.gate_proj", inFeatures: 32, outFeatures: 64);
            AssertPair(shapes, at + "mlp.up_proj", inFeatures: 32, outFeatures: 64);
            AssertPair(shapes, at + "mlp.down_proj", inFeatures: 64, outFeatures: 32);
        }

        Assert.Equal([64L, 32L], shapes["lm_head.weight"]);
        Assert.DoesNotContain(shapes.Keys, name => name.StartsWith("lm_head.lora_", StringComparison.Ordinal));
    }

    [Fact]
    public void AQwen2ModelsProjectionBiasesStayFrozenInTheBaseLayer()
    {
        using var model = MicroModels.Create(MicroModels.Qwen2(tied: true));

        Inject(model, Settings("all-linear"));

        var bias = model.named_parameters().Single(pair => pair.name == "model.layers.0.self_attn.q_proj.base_layer.bias").parameter;
        Assert.False(bias.requires_grad);
    }

    [Fact]
    public void AnUntiedOutputHeadCanBeAdaptedAndSavedUnderPeftsNames()
    {
        using var model = MicroModels.Create(MicroModels.Llama(tied: false));
        using var ids = MicroModels.Ids(s_ids);
        using var before = model.call(ids);

        var adapter = Inject(model, Settings("q_proj,lm_head"));
        var head = Assert.IsType<LoraLinear>(model.LmHead);
        using var unchanged = model.call(ids);
        LoraTestLayers.RandomizeB(head, seed: 5);
        using var changed = model.call(ids);

        Assert.Equal("lm_head", adapter.Layers[^1].Path);
        Assert.Equal("base_model.model.lm_head.lora_A.weight", adapter.Layers[^1].LoraATensorName);
        Assert.Equal("base_model.model.lm_head.lora_B.weight", adapter.Layers[^1].LoraBTensorName);
        var shapes = model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter.shape);
        Assert.Equal([64L, 32L], shapes["lm_head.base_layer.weight"]);
        Assert.Equal([4L, 32L], shapes["lm_head.lora_A.weight"]);
        Assert.Equal([64L, 4L], shapes["lm_head.lora_B.weight"]);
        Assert.True(LoraTestLayers.Identical(before, unchanged));
        Assert.False(LoraTestLayers.Identical(before, changed));
    }

    [Fact]
    public void AllLinearLeavesTheOutputHeadAlone()
    {
        using var model = MicroModels.Create(MicroModels.Llama(tied: false));

        var adapter = Inject(model, Settings("all-linear"));

        Assert.Equal(14, adapter.Layers.Count);
        Assert.IsNotType<LoraLinear>(model.LmHead);
    }

    [Fact]
    public void ATiedOutputHeadCannotBeTargeted()
    {
        using var model = MicroModels.Create(MicroModels.Llama(tied: true));

        var error = Assert.Throws<LoraException>(() => Inject(model, Settings("q_proj,lm_head")));

        Assert.Equal(LoraErrorCodes.TargetNotFound, error.Code);
        Assert.Contains("'lm_head'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(model.named_modules(), pair => pair.module is LoraLinear);
    }

    [Fact]
    public void AnUnknownTargetIsACodedErrorListingTheModelsLayers()
    {
        using var model = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(() => Inject(model, Settings("q_proj,c_attn")));

        Assert.Equal(LoraErrorCodes.TargetNotFound, error.Code);
        Assert.Contains("model.layers.{i}.mlp.down_proj", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdaptingTwiceIsACodedError()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        Inject(model, Settings("q_proj"));

        var error = Assert.Throws<LoraException>(() => Inject(model, Settings("v_proj")));

        Assert.Equal(LoraEngineErrorCodes.AlreadyAdapted, error.Code);
    }

    [Fact]
    public void TheSameSeedGivesTheSameAdapterAndAnotherSeedAnother()
    {
        using var first = MicroModels.Create(MicroModels.Llama());
        using var second = MicroModels.Create(MicroModels.Llama(), seed: 9);
        using var third = MicroModels.Create(MicroModels.Llama());

        var a = Inject(first, Settings(), seed: 42).NamedTensors();
        var b = Inject(second, Settings(), seed: 42).NamedTensors();
        var c = Inject(third, Settings(), seed: 43).NamedTensors();

        Assert.Equal(a.Select(pair => pair.Key), b.Select(pair => pair.Key));
        Assert.All(a.Zip(b), pair => Assert.True(LoraTestLayers.Identical(pair.First.Value, pair.Second.Value)));
        Assert.False(LoraTestLayers.Identical(a[0].Value, c[0].Value));
    }

    [Fact]
    public void ABFloat16ModelGetsFloat32LoraMatricesAndStillReturnsBFloat16Logits()
    {
        using var model = MicroModels.Create(MicroModels.Llama(), dtype: ScalarType.BFloat16);
        using var ids = MicroModels.Ids(s_ids);

        var adapter = Inject(model, Settings());
        LoraTestLayers.RandomizeB(adapter.Layers[0].Layer, seed: 3);
        using var logits = model.call(ids);

        Assert.All(adapter.TrainableParameters(), parameter => Assert.Equal(ScalarType.Float32, parameter.dtype));
        Assert.Equal(ScalarType.BFloat16, logits.dtype);
    }

    [Fact]
    public void LayersToTransformLeavesOtherLayersUntouched()
    {
        using var model = MicroModels.Create(MicroModels.Llama());

        var adapter = Inject(model, Settings("all-linear") with { LayersToTransform = [1] });

        Assert.Equal(7, adapter.Layers.Count);
        Assert.All(adapter.Layers, entry => Assert.StartsWith("model.layers.1.", entry.Path, StringComparison.Ordinal));
        Assert.IsNotType<LoraLinear>(model.Layers[0].SelfAttention.QProj);
        Assert.IsType<LoraLinear>(model.Layers[1].SelfAttention.QProj);
    }

    [Fact]
    public void TheModelsTrainingModeReachesTheLoraLayersSoDropoutFollowsIt()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        using var ids = MicroModels.Ids(s_ids);
        using var init = new Generator(42, CPU);
        using var dropout = new Generator(7, CPU);
        var adapter = LoraInjector.Apply(model, Settings() with { Dropout = 0.3 }, init, dropout);
        LoraTestLayers.RandomizeB(adapter.Layers[0].Layer, seed: 3);

        model.eval();
        using var evaluated = model.call(ids);
        using var evaluatedAgain = model.call(ids);
        model.train();
        using var trained = model.call(ids);

        Assert.All(adapter.Layers, entry => Assert.True(entry.Layer.training));
        Assert.True(LoraTestLayers.Identical(evaluated, evaluatedAgain));
        Assert.False(LoraTestLayers.Identical(evaluated, trained));
    }

    private static void AssertPair(Dictionary<string, long[]> shapes, string path, long inFeatures, long outFeatures)
    {
        Assert.Equal([outFeatures, inFeatures], shapes[path + ".base_layer.weight"]);
        Assert.Equal([4L, inFeatures], shapes[path + ".lora_A.weight"]);
        Assert.Equal([outFeatures, 4L], shapes[path + ".lora_B.weight"]);
    }
}
