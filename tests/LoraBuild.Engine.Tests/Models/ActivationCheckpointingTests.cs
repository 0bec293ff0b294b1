using LoraBuild.Core.Adapters;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Quantization;
using LoraBuild.Engine.Tests.Lora;
using LoraBuild.Engine.Tests.Training;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

/// <summary>
/// Recomputing each decoder layer in the backward pass changes what is kept in memory, not what is computed: the loss,
/// every gradient and the dropout generator's final state are bitwise those of the plain backward pass.
/// </summary>
public class ActivationCheckpointingTests
{
    private const ulong DropoutSeed = 99;

    [Theory]
    [InlineData("fp32")]
    [InlineData("bf16")]
    [InlineData("nf4")]
    public void LoraGradientsWithDropoutAreBitwiseThoseWithoutCheckpointing(string baseWeights)
    {
        using var scope = NewDisposeScope();
        using var model = LoraModel(baseWeights, dropout: 0.25);
        using var generator = DropoutGenerator(model);

        var plain = Backward(model, generator, checkpointing: false);
        var checkpointed = Backward(model, generator, checkpointing: true);

        Assert.Equal(2 * 7 * 2, plain.Gradients.Count); // two layers, seven projections, A and B
        AssertBitwiseEqual(plain, checkpointed);
    }

    [Fact]
    public void ADifferentDropoutDrawChangesTheGradientsSoTheReplayIsWhatMakesThemEqual()
    {
        using var scope = NewDisposeScope();
        using var model = LoraModel("fp32", dropout: 0.25);
        using var generator = DropoutGenerator(model);

        var first = Backward(model, generator, checkpointing: true);
        var otherMasks = Backward(model, generator, checkpointing: true, seed: DropoutSeed + 1);

        Assert.Contains(first.Gradients, pair => !TrainingTestData.BitwiseEqual(pair.Value, otherMasks.Gradients[pair.Key]));
    }

    [Fact]
    public void FullFineTuningGradientsAreBitwiseThoseWithoutCheckpointingAndEachLayerRunsTwice()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 4);
        var dropouts = DropoutProjection.AddTo(model, 0.2);
        using var generator = new Generator(DropoutSeed, CPU);
        foreach (var dropout in dropouts)
        {
            dropout.Generator = generator;
        }

        model.train();
        var plain = Backward(model, generator, checkpointing: false);
        Assert.All(dropouts, dropout => Assert.Equal(1, dropout.TrainingForwards));
        var checkpointed = Backward(model, generator, checkpointing: true);

        // Once in the forward pass without a graph, once again in the backward pass.
        Assert.All(dropouts, dropout => Assert.Equal(3, dropout.TrainingForwards));
        Assert.Equal(model.parameters().Count(), plain.Gradients.Count);
        AssertBitwiseEqual(plain, checkpointed);
    }

    [Fact]
    public void PassesWithoutGradientsRunTheLayersOnce()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 4);
        var dropouts = DropoutProjection.AddTo(model, 0.2);
        using var generator = new Generator(DropoutSeed, CPU);
        foreach (var dropout in dropouts)
        {
            dropout.Generator = generator;
        }

        model.train();
        model.ActivationCheckpointing = true;
        var batch = TrainingTestData.Batch(TrainingTestData.FourExamples());
        using (no_grad())
        {
            CausalLmLoss.Sum(model, batch, LossTargets.From(batch));
        }

        Assert.All(dropouts, dropout => Assert.Equal(1, dropout.TrainingForwards));
    }

    [Fact]
    public void GenerationWithACacheIsUnaffected()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 4);
        model.eval();
        var ids = MicroModels.Ids(5, 9, 13, 2, 40);
        var plainCache = model.CreateCache(1, 8);
        var plain = model.ForwardLogits(ids, cache: plainCache);

        model.ActivationCheckpointing = true;
        var cache = model.CreateCache(1, 8);
        var checkpointed = model.ForwardLogits(ids, cache: cache);

        Assert.Equal(5, cache.Length);
        Assert.True(TrainingTestData.BitwiseEqual(plain, checkpointed));
    }

    /// <summary>The micro model with LoRA on every projection, random B, and base weights in fp32, bf16 or NF4.</summary>
    internal static Engine.Models.CausalLanguageModel LoraModel(string baseWeights, double dropout)
    {
        var config = MicroModels.Llama();
        var model = MicroModels.Create(config, seed: 3, dtype: baseWeights == "bf16" ? ScalarType.BFloat16 : ScalarType.Float32);
        if (baseWeights == "nf4")
        {
            ModelQuantizer.QuantizeDecoderLinearLayers(model);
        }

        var settings = new LoraSettings { Rank = 4, Alpha = 8, Dropout = dropout, Targets = AdapterTargets.ParseSpec("all-linear", "test") };
        using var init = new Generator(11, CPU);
        var adapter = LoraInjector.Apply(model, settings, init, null);
        foreach (var (entry, index) in adapter.Layers.Select((entry, index) => (entry, index)))
        {
            LoraTestLayers.RandomizeB(entry.Layer, seed: 300 + index);
        }

        model.train();
        return model;
    }

    private static Generator DropoutGenerator(Engine.Models.CausalLanguageModel model)
    {
        var generator = new Generator(DropoutSeed, CPU);
        foreach (var module in model.modules().OfType<IStochasticModule>())
        {
            module.Generator = generator;
        }

        return generator;
    }

    private static BackwardResult Backward(Engine.Models.CausalLanguageModel model, Generator generator, bool checkpointing, ulong seed = DropoutSeed)
    {
        foreach (var parameter in model.parameters())
        {
            parameter.grad = null;
        }

        generator.manual_seed(unchecked((long)seed));
        model.ActivationCheckpointing = checkpointing;
        var batch = TrainingTestData.Batch(TrainingTestData.FourExamples());
        var loss = CausalLmLoss.Sum(model, batch, LossTargets.From(batch));
        loss.backward();
        model.ActivationCheckpointing = false;

        var gradients = model.named_parameters()
            .Where(pair => pair.parameter.requires_grad)
            .ToDictionary(pair => pair.name, pair => pair.parameter.grad!.clone());
        using var state = generator.get_state();
        return new BackwardResult(loss.detach(), gradients, state.clone());
    }

    private static void AssertBitwiseEqual(BackwardResult expected, BackwardResult actual)
    {
        Assert.True(TrainingTestData.BitwiseEqual(expected.Loss, actual.Loss), $"loss {expected.Loss.item<float>()} vs {actual.Loss.item<float>()}");
        Assert.Equal(expected.Gradients.Keys.Order(), actual.Gradients.Keys.Order());
        foreach (var (name, gradient) in expected.Gradients)
        {
            Assert.True(gradient.abs().max().item<float>() > 0, $"'{name}' has no gradient.");
            Assert.True(TrainingTestData.BitwiseEqual(gradient, actual.Gradients[name]), $"'{name}': max |Δ| {(gradient - actual.Gradients[name]).abs().max().item<float>()}");
        }

        Assert.True(TrainingTestData.BitwiseEqual(expected.GeneratorState, actual.GeneratorState), "The dropout generator ends in another state.");
    }

    private sealed record BackwardResult(Tensor Loss, Dictionary<string, Tensor> Gradients, Tensor GeneratorState);
}
