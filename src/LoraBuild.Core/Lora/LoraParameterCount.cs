using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Lora;

/// <summary>How many parameters a LoRA adapter trains on a model, worked out from the configuration alone.</summary>
public static class LoraParameterCount
{
    /// <summary>
    /// r·(in + out) summed over the linear layers <paramref name="settings"/> select, chosen by
    /// <see cref="LoraTargetPlanner"/> — the same rules that put LoRA layers on a loaded model — so names,
    /// <c>all-linear</c>, regular expressions, <c>layers_to_transform</c> and <c>rank_pattern</c> count as they train.
    /// </summary>
    /// <exception cref="LoraException">A target fits no layer of this model (LORA3001–LORA3003).</exception>
    public static long Trainable(ModelConfig config, LoraSettings settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        var plan = LoraTargetPlanner.Plan(LlamaLinearModules.For(config), LlamaLinearModules.OutputHeadPath(config), settings);
        return plan.Targets.Sum(target => (long)target.Rank * (target.InFeatures + target.OutFeatures));
    }

    /// <summary>The count for one rank on every layer <paramref name="targets"/> select.</summary>
    /// <exception cref="LoraException">The rank is not positive (LORA1002), or a target fits no layer (LORA3001).</exception>
    public static long Trainable(ModelConfig config, int rank, AdapterTargets targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (rank <= 0)
        {
            throw new LoraException(LoraErrorCodes.RankInvalid, $"The LoRA rank must be a positive integer, not {rank}.", "rank");
        }

        // Alpha scales the update, not its size; any valid value will do.
        return Trainable(config, new LoraSettings { Rank = rank, Alpha = rank, Targets = targets });
    }
}
