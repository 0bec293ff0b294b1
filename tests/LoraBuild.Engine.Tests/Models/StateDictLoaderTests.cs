using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

public class StateDictLoaderTests
{
    private const string Source = "models/micro/model.safetensors";

    [Fact]
    public void LoadedWeightsReproduceTheSourceModel()
    {
        using var scope = NewDisposeScope();
        using var source = MicroModels.Create(MicroModels.Llama(), seed: 7);
        using var target = MicroModels.Create(MicroModels.Llama(), seed: 8);
        var ids = MicroModels.Ids(4, 8, 15, 16, 23, 42);

        target.LoadStateDict(MicroModels.StateDict(source), Source);

        Assert.True(source.call(ids).eq(target.call(ids)).all().item<bool>());
    }

    [Fact]
    public void WeightsAreConvertedToTheModelsType()
    {
        using var scope = NewDisposeScope();
        using var source = MicroModels.Create(MicroModels.Llama(), seed: 7);
        using var target = CausalLanguageModel.Create(MicroModels.Llama(), ScalarType.Float32, CPU);
        var doubles = MicroModels.StateDict(source).ToDictionary(pair => pair.Key, pair => pair.Value.to_type(ScalarType.Float64));

        target.LoadStateDict(doubles, Source);

        Assert.All(target.parameters(), parameter => Assert.Equal(ScalarType.Float32, parameter.dtype));
        var ids = MicroModels.Ids(4, 8, 15);
        TensorAssert.RelativelyClose(source.call(ids), target.call(ids), 1e-6);
    }

    [Fact]
    public void MissingWeightIsNamedWithItsExpectedShape()
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.Create(MicroModels.Llama(), ScalarType.Float32, CPU);
        var weights = MicroModels.StateDict(model);
        weights.Remove("model.layers.1.self_attn.k_proj.weight");

        var error = Assert.Throws<LoraException>(() => model.LoadStateDict(weights, Source));

        Assert.Equal(ModelErrorCodes.WeightMissing, error.Code);
        Assert.Equal($"{Source}:model.layers.1.self_attn.k_proj.weight", error.Location);
        Assert.Contains("'model.layers.1.self_attn.k_proj.weight'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[16, 32]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UntiedModelNeedsItsHead()
    {
        using var scope = NewDisposeScope();
        using var tied = CausalLanguageModel.Create(MicroModels.Llama(tied: true), ScalarType.Float32, CPU);
        using var untied = CausalLanguageModel.Create(MicroModels.Llama(tied: false), ScalarType.Float32, CPU);

        var error = Assert.Throws<LoraException>(() => untied.LoadStateDict(MicroModels.StateDict(tied), Source));

        Assert.Equal(ModelErrorCodes.WeightMissing, error.Code);
        Assert.Contains("'lm_head.weight'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongShapeNamesTensorExpectedAndActualShapes()
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.Create(MicroModels.Llama(), ScalarType.Float32, CPU);
        var weights = MicroModels.StateDict(model);
        weights["model.layers.0.mlp.down_proj.weight"] = zeros(64, 32);

        var error = Assert.Throws<LoraException>(() => model.LoadStateDict(weights, Source));

        Assert.Equal(ModelErrorCodes.WeightShapeMismatch, error.Code);
        Assert.Equal($"{Source}:model.layers.0.mlp.down_proj.weight", error.Location);
        Assert.Contains("[64, 32]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[32, 64]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnexpectedTensorIsAnError()
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.Create(MicroModels.Llama(), ScalarType.Float32, CPU);
        var weights = MicroModels.StateDict(model);
        weights["model.layers.0.self_attn.o_proj.bias"] = zeros(32);

        var error = Assert.Throws<LoraException>(() => model.LoadStateDict(weights, Source));

        Assert.Equal(ModelErrorCodes.WeightUnexpected, error.Code);
        Assert.Contains("'model.layers.0.self_attn.o_proj.bias'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingIsCopiedWhenTheCheckpointIsRejected()
    {
        using var scope = NewDisposeScope();
        using var source = MicroModels.Create(MicroModels.Llama(), seed: 7);
        using var target = MicroModels.Create(MicroModels.Llama(), seed: 8);
        var before = target.Model.EmbedTokens.weight!.detach().clone();
        var weights = MicroModels.StateDict(source);
        weights["model.norm.weight"] = zeros(31);

        Assert.Throws<LoraException>(() => target.LoadStateDict(weights, Source));

        Assert.True(before.eq(target.Model.EmbedTokens.weight!).all().item<bool>());
    }

    [Fact]
    public void RotaryBuffersOfOldCheckpointsAndHeadsBesideTiedEmbeddingsAreIgnored()
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.Create(MicroModels.Llama(tied: true), ScalarType.Float32, CPU);
        var weights = MicroModels.StateDict(model);
        weights["model.layers.0.self_attn.rotary_emb.inv_freq"] = zeros(4);
        weights["lm_head.weight"] = zeros(64, 32);

        model.LoadStateDict(weights, Source);

        Assert.False(model.Model.EmbedTokens.weight!.eq(0).all().item<bool>());
    }
}
