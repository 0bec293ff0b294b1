using LoraBuild.Core.Adapters;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Quantization;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

public class MemorySharesTests
{
    [Theory]
    [InlineData(Optimizers.AdamW, 2)]
    [InlineData(Optimizers.Sgd, 1)]
    public void SharesCountFrozenWeightsTrainableParametersGradientsAndOptimizerState(string optimizer, int stateTensorsPerParameter)
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var baseBytes = model.parameters().Sum(parameter => parameter.numel() * 4);
        var adapter = Adapt(model);
        var trainableBytes = adapter.TrainableParameterCount * 4;

        var metrics = TrainOneStep(model, optimizer);

        var shares = Assert.IsType<MemoryShares>(metrics.Memory);
        Assert.Equal(baseBytes, shares.FrozenWeightBytes);
        Assert.Equal(trainableBytes, shares.TrainableBytes);
        Assert.Equal(trainableBytes, shares.GradientBytes);
        Assert.Equal(stateTensorsPerParameter * trainableBytes, shares.OptimizerStateBytes);
    }

    [Fact]
    public void Nf4LayersCountAtTheirStorageSize()
    {
        using var model = MicroModels.Create(MicroModels.Llama());
        var allBytes = model.parameters().Sum(parameter => parameter.numel() * 4);
        var (_, bytesBefore, bytesAfter) = ModelQuantizer.QuantizeDecoderLinearLayers(model);
        Adapt(model);

        var shares = TrainOneStep(model, Optimizers.AdamW).Memory!;

        Assert.Equal(allBytes - bytesBefore + bytesAfter, shares.FrozenWeightBytes);
        Assert.True(bytesAfter < bytesBefore / 4, $"{bytesAfter} stored bytes for {bytesBefore} float32 bytes.");
    }

    [Fact]
    public void WhatThePeakHoldsBeyondTheBaselineAndTheSharesIsTheRemainder()
    {
        var shares = new MemoryShares { FrozenWeightBytes = 400, TrainableBytes = 10, GradientBytes = 10, OptimizerStateBytes = 20 };
        var metrics = new TrainingMetrics
        {
            Steps = 1,
            TargetTokens = 1,
            TotalTokens = 1,
            LossFirst = 1,
            LossFinal = 1,
            TokensPerSecond = 1,
            WallSeconds = 1,
            PeakMemoryBytes = 1000,
            BaselineMemoryBytes = 300,
            Memory = shares,
        };

        var values = metrics.ToManifestValues();

        Assert.Equal(260, metrics.ActivationsAndOtherBytes);
        Assert.Equal(260, values["memory_activations_and_other_bytes"]);
        Assert.Equal(300, values["memory_baseline_bytes"]);
        Assert.Equal(400, values["memory_frozen_weights_bytes"]);
        Assert.Equal(20, values["memory_optimizer_state_bytes"]);
        Assert.Null((metrics with { BaselineMemoryBytes = null }).ActivationsAndOtherBytes);
        Assert.DoesNotContain("memory_activations_and_other_bytes", (metrics with { PeakMemoryBytes = null }).ToManifestValues().Keys);
    }

    private static LoraAdapter Adapt(CausalLanguageModel model)
    {
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Targets = AdapterTargets.ParseSpec("all-linear", "test") };
        using var init = new Generator(11, CPU);
        return LoraInjector.Apply(model, settings, init, null);
    }

    private static TrainingMetrics TrainOneStep(CausalLanguageModel model, string optimizer)
    {
        var examples = TrainingTestData.FourExamples();
        var data = new FixedBatches(TrainingTestData.Batch(examples[0], examples[1]));
        var spec = TrainingTestData.Spec(optimizer, maxSteps: 1) with { Mode = TrainingModes.Lora, Momentum = 0.9 };
        using var trainer = new Trainer(model, spec, data);
        return trainer.Train();
    }
}
