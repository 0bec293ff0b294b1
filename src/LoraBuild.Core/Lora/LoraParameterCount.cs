using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Lora;

/// <summary>How many parameters a LoRA adapter trains on a model, worked out from the configuration alone.</summary>
public static class LoraParameterCount
{
    /// <summary>r·(in + out) for every targeted linear layer of every decoder layer, plus the output head when targeted.</summary>
    public static long Trainable(ModelConfig config, int rank, LoraTargetModules targets)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(targets);
        if (rank <= 0)
        {
            throw new LoraException(LoraErrorCodes.RankInvalid, $"The LoRA rank must be a positive integer, not {rank}.", "rank");
        }

        var decoder = ParameterCounts.LoraTrainable(config, rank, [.. targets.Names]);
        var head = targets.IncludesOutputHead ? (long)rank * (config.HiddenSize + config.VocabSize) : 0;
        return decoder + head;
    }
}
