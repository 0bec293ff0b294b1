using LoraBuild.Core.Packaging;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Reports;

/// <summary>
/// The content of <c>training_history.json</c>: what every optimizer step did and the held-out loss at evenly spaced
/// points, with no wall-clock value in it, so a rebuild from the same inputs writes the same bytes.
/// </summary>
/// <param name="TotalSteps">The optimizer steps the run planned.</param>
/// <param name="Steps">Every step taken, in order.</param>
/// <param name="Eval">Held-out losses in step order (step 0: the base model); empty without eval data.</param>
public sealed record TrainingHistoryFile(int TotalSteps, IReadOnlyList<HistoryStep> Steps, IReadOnlyList<EvalLossRecord> Eval)
{
    /// <summary>The file's name beside the adapter.</summary>
    public const string FileName = AdapterPackageLayout.HistoryFileName;

    /// <summary>The run's <paramref name="history"/> without its timings.</summary>
    public static TrainingHistoryFile From(TrainingHistory history, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(history);
        return new TrainingHistoryFile(
            totalSteps,
            [.. history.Steps.Select(s => new HistoryStep(s.Step, s.Epoch, s.Loss, s.LearningRate, s.GradientNorm, s.TargetTokens, s.TotalTokens))],
            [.. history.EvalLosses]);
    }
}

/// <summary>One optimizer step as the history file records it (a <see cref="StepRecord"/> without its wall time).</summary>
/// <param name="Step">The step's number, from 1.</param>
/// <param name="Epoch">The epoch its micro-batches came from, from 0.</param>
/// <param name="Loss">Mean cross-entropy over the step's target tokens, before the update.</param>
/// <param name="LearningRate">The learning rate the update used.</param>
/// <param name="GradientNorm">The global L2 norm of the gradients, before clipping.</param>
/// <param name="TargetTokens">Tokens the loss was computed on.</param>
/// <param name="Tokens">Real (not padding) tokens processed, prompts included.</param>
public sealed record HistoryStep(int Step, int Epoch, double Loss, double LearningRate, double GradientNorm, long TargetTokens, long Tokens);
