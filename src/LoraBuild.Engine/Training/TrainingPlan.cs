using LoraBuild.Core.Training;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Engine.Training;

/// <summary>
/// How many optimizer steps a run takes. Each optimizer step accumulates gradients over up to
/// <see cref="AccumulationSteps"/> consecutive micro-batches of one epoch; an epoch's last step takes whatever
/// micro-batches are left. <c>maxSteps</c>, when set, decides the length alone: the run stops early or goes on into
/// further epochs.
/// </summary>
/// <param name="MicroBatchesPerEpoch">Batches the data yields per epoch.</param>
/// <param name="AccumulationSteps">Micro-batches per optimizer step.</param>
/// <param name="StepsPerEpoch">Optimizer steps in one pass over the data.</param>
/// <param name="TotalSteps">Optimizer steps in the whole run.</param>
public sealed record TrainingPlan(int MicroBatchesPerEpoch, int AccumulationSteps, int StepsPerEpoch, int TotalSteps)
{
    /// <exception cref="LoraException">
    /// <see cref="TrainingErrorCodes.NoTrainingData"/> when there are no batches, or
    /// <see cref="TrainingSettingErrorCodes.TrainingSettingInvalid"/> for accumulation, epochs or max steps below 1.
    /// </exception>
    public static TrainingPlan For(TrainingSpec spec, int microBatchesPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (microBatchesPerEpoch < 1)
        {
            throw new LoraException(TrainingErrorCodes.NoTrainingData, "The training data yields no batch.", spec.SourceLocation);
        }

        RequireAtLeastOne(spec.GradientAccumulationSteps, "gradientAccumulationSteps", spec);
        if (spec.MaxSteps is { } maxSteps)
        {
            RequireAtLeastOne(maxSteps, "maxSteps", spec);
        }
        else
        {
            RequireAtLeastOne(spec.Epochs, "epochs", spec);
        }

        var accumulation = spec.GradientAccumulationSteps;
        var stepsPerEpoch = (microBatchesPerEpoch + accumulation - 1) / accumulation;
        var total = spec.MaxSteps ?? checked(stepsPerEpoch * spec.Epochs);
        return new TrainingPlan(microBatchesPerEpoch, accumulation, stepsPerEpoch, total);
    }

    /// <summary>How many micro-batches the step starting at <paramref name="batchInEpoch"/> takes.</summary>
    public int MicroBatchesInStep(int batchInEpoch) => Math.Min(AccumulationSteps, MicroBatchesPerEpoch - batchInEpoch);

    private static void RequireAtLeastOne(int value, string setting, TrainingSpec spec)
    {
        if (value < 1)
        {
            throw new LoraException(
                TrainingSettingErrorCodes.TrainingSettingInvalid, $"{setting} must be at least 1, but is {value}.", spec.SourceLocation);
        }
    }
}
