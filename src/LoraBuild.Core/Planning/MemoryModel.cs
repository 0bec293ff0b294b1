using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Planning;

/// <summary>Counts the parts of a fine-tuning run's GPU memory from a model's configuration and the run's settings.</summary>
public static class MemoryModel
{
    /// <summary>Bytes of a LoRA parameter, its gradient and its optimizer state: LoraBuild trains LoRA pairs in fp32.</summary>
    public const int LoraElementBytes = 4;

    /// <summary>The uncalibrated parts of the run's memory.</summary>
    /// <exception cref="LoraException">The settings are invalid (LORA1404, LORA1405) or the targets fit no layer (LORA1001, LORA3001).</exception>
    public static MemoryEstimate Estimate(ModelConfig config, PlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        return settings.Mode == FineTuningMode.Full ? EstimateFull(config, settings) : EstimateLora(config, settings);
    }

    /// <summary>The LoRA pairs the settings put on the model, by the rules LoraBuild's injector uses.</summary>
    /// <exception cref="LoraException">A target is no linear layer of the model's family (LORA1001) or fits no layer (LORA3001).</exception>
    public static IReadOnlyList<LoraTarget> LoraTargets(ModelConfig config, PlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        LlamaLinearModules.RequireKnownNames(settings.Targets, config, "--targets");
        var loraSettings = new LoraSettings { Rank = settings.Rank, Alpha = settings.Alpha, Targets = settings.Targets };
        return LoraTargetPlanner.Plan(LlamaLinearModules.For(config), LlamaLinearModules.OutputHeadPath(config), loraSettings).Targets;
    }

    private static MemoryEstimate EstimateLora(ModelConfig config, PlanSettings settings)
    {
        var precision = settings.Precision;
        var total = ParameterCounts.For(config).Total;
        var quantized = settings.Quantization != BaseQuantization.None;
        var quantizedBytes = 0L;
        var quantizedElements = 0L;
        if (quantized)
        {
            foreach (var projection in ParameterCounts.DecoderLinearLayers(config))
            {
                var elements = (long)projection.InFeatures * projection.OutFeatures;
                quantizedElements += elements * config.NumHiddenLayers;
                var bytes = settings.Quantization.IsFourBit()
                    ? FourBitStorage.Bytes(elements, settings.DoubleQuantization)
                    : Int8Storage.Bytes(projection.OutFeatures, projection.InFeatures);
                quantizedBytes += bytes * config.NumHiddenLayers;
            }
        }

        var targets = LoraTargets(config, settings);
        var layer = ActivationInventory.DecoderLayerPerToken(config, precision, linearInputsSaved: quantized);
        var pairsByLayer = targets
            .GroupBy(target => LoraTargetPlanner.LayerIndex(target.Path) ?? -1)
            .ToDictionary(group => group.Key, group => group.Sum(target => ActivationInventory.LoraPairPerToken(target, precision)));
        var pairsOutsideLayers = pairsByLayer.GetValueOrDefault(-1);
        var pairsInLayers = pairsByLayer.Where(pair => pair.Key >= 0).Sum(pair => pair.Value);
        var perToken = settings.ActivationCheckpointing
            ? (config.NumHiddenLayers * ActivationInventory.CheckpointPerLayerPerToken(config, precision))
                + layer + pairsByLayer.Where(pair => pair.Key >= 0).Select(pair => pair.Value).DefaultIfEmpty(0).Max() + pairsOutsideLayers
            : (config.NumHiddenLayers * layer) + pairsInLayers + pairsOutsideLayers;

        return new MemoryEstimate
        {
            QuantizedBaseWeights = quantizedBytes,
            DenseBaseWeights = (total - quantizedElements) * precision.ElementBytes(),
            TrainableParameterCount = targets.Sum(target => (long)target.Rank * (target.InFeatures + target.OutFeatures)),
            TrainableElementBytes = LoraElementBytes,
            OptimizerStateTensors = settings.Optimizer.StateTensors(),
            RawActivations = perToken * settings.TokensPerStep,
            Logits = ActivationInventory.LogitsPerToken(config, precision) * settings.TokensPerStep,
        };
    }

    private static MemoryEstimate EstimateFull(ModelConfig config, PlanSettings settings)
    {
        var precision = settings.Precision;
        var layer = ActivationInventory.DecoderLayerPerToken(config, precision, linearInputsSaved: true);

        // The output head's weight gradient needs its input, the final norm's output.
        var headInput = (long)precision.ElementBytes() * config.HiddenSize;
        var perToken = settings.ActivationCheckpointing
            ? (config.NumHiddenLayers * ActivationInventory.CheckpointPerLayerPerToken(config, precision)) + layer + headInput
            : (config.NumHiddenLayers * layer) + headInput;

        // Weights, gradients and optimizer state all in the compute dtype, as PyTorch keeps optimizer state in the parameter's dtype.
        return new MemoryEstimate
        {
            QuantizedBaseWeights = 0,
            DenseBaseWeights = 0,
            TrainableParameterCount = ParameterCounts.For(config).Total,
            TrainableElementBytes = precision.ElementBytes(),
            OptimizerStateTensors = settings.Optimizer.StateTensors(),
            RawActivations = perToken * settings.TokensPerStep,
            Logits = ActivationInventory.LogitsPerToken(config, precision) * settings.TokensPerStep,
        };
    }
}
