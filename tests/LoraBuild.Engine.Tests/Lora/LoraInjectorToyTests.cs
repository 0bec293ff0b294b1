using LoraBuild.Core.Adapters;
using LoraBuild.Engine.Lora;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

public class LoraInjectorToyTests
{
    private static LoraSettings Settings(string targets) => new() { Rank = 2, Alpha = 4, Targets = AdapterTargets.ParseSpec(targets) };

    [Fact]
    public void AllLinearLeavesTheOutputHeadAlone()
    {
        using var toy = new ToyLoraHost();
        using var generator = new Generator(1, CPU);

        var adapter = LoraInjector.Apply(toy, Settings("all-linear"), generator, null);

        Assert.Equal(["up"], adapter.Layers.Select(entry => entry.Path));
        Assert.Equal(["up"], adapter.Settings.Targets.Names);
    }

    [Fact]
    public void TheOutputHeadGetsLoraWhenNamed()
    {
        using var toy = new ToyLoraHost();
        using var generator = new Generator(1, CPU);

        var adapter = LoraInjector.Apply(toy, Settings("lm_head"), generator, null);

        var shapes = toy.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter.shape);
        Assert.Equal([2L, 12L], shapes["lm_head.lora_A.weight"]);
        Assert.Equal([20L, 2L], shapes["lm_head.lora_B.weight"]);
        Assert.Equal([20L, 12L], shapes["lm_head.base_layer.weight"]);
        Assert.Equal("base_model.model.lm_head.lora_A.weight", adapter.Layers[0].LoraATensorName);
    }

    [Fact]
    public void TheInjectedModuleIsTheOneForwardRuns()
    {
        using var toy = new ToyLoraHost();
        using var generator = new Generator(1, CPU);
        using var input = LoraTestLayers.Input(3, ScalarType.Float32, 4, 8);
        using var before = toy.call(input);

        var adapter = LoraInjector.Apply(toy, Settings("up,lm_head"), generator, null);
        LoraTestLayers.RandomizeB(adapter.Layers[0].Layer, seed: 5);
        using var after = toy.call(input);

        Assert.False(LoraTestLayers.Identical(before, after));
    }
}
