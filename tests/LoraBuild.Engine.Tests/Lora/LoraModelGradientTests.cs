using LoraBuild.Core.Adapters;
using LoraBuild.Core.Data;
using LoraBuild.Core.Lora;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Tests.Training;
using LoraBuild.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

/// <summary>
/// LoRA gradients inside the whole micro model obey the chain rule through the frozen weight they adapt:
/// with W' = W + s·B·A, dL/dB = s·(dL/dW')·Aᵀ and dL/dA = s·Bᵀ·(dL/dW'). dL/dW' is what full fine-tuning would see,
/// so this ties every layer's LoRA gradient, the first layer's included, to the full model's backward pass.
/// </summary>
public class LoraModelGradientTests
{
    [Fact]
    public void EveryLayersLoraGradientIsTheFullGradientProjectedThroughTheOtherFactor()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama(), dtype: ScalarType.Float64);
        using var generator = new Generator(7, CPU);
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Targets = AdapterTargets.ParseSpec("all-linear") };
        var adapter = LoraInjector.Apply(model, settings, generator, null);
        foreach (var (entry, index) in adapter.Layers.Select((entry, index) => (entry, index)))
        {
            entry.Layer.LoraA.to(ScalarType.Float64);
            entry.Layer.LoraB.to(ScalarType.Float64);
            LoraTestLayers.RandomizeB(entry.Layer, seed: 200 + index);
        }

        // The merged weight W' carries the gradient full fine-tuning would see; the LoRA path is switched off for that pass.
        var batch = TrainingTestData.Batch(TrainingTestData.FourExamples());
        var targets = LossTargets.From(batch);
        CausalLmLoss.Sum(model, batch, targets).backward();
        var loraGradients = adapter.Layers.Select(entry => (A: entry.Layer.LoraA.weight.grad!.clone(), B: entry.Layer.LoraB.weight.grad!.clone())).ToList();

        adapter.Merge();
        foreach (var entry in adapter.Layers)
        {
            entry.Layer.BaseLinear().weight.requires_grad = true;
        }

        CausalLmLoss.Sum(model, batch, targets).backward();

        foreach (var (entry, index) in adapter.Layers.Select((entry, index) => (entry, index)))
        {
            var layer = entry.Layer;
            var full = layer.BaseLinear().weight.grad!;
            var expectedB = full.matmul(layer.LoraA.weight.t()).mul(layer.Scale);
            var expectedA = layer.LoraB.weight.t().matmul(full).mul(layer.Scale);
            Assert.True(LoraTestLayers.RelativeError(loraGradients[index].B, expectedB) < 1e-9, $"{entry.Path}: dL/dB");
            Assert.True(LoraTestLayers.RelativeError(loraGradients[index].A, expectedA) < 1e-9, $"{entry.Path}: dL/dA");
        }
    }
}
