namespace LoraBuild.Engine.Training;

/// <summary>What one optimizer step did.</summary>
/// <param name="Step">The step's number, from 1.</param>
/// <param name="Epoch">The epoch its micro-batches came from, from 0.</param>
/// <param name="Loss">Mean cross-entropy over the step's target tokens, before the update.</param>
/// <param name="LearningRate">The learning rate the update used.</param>
/// <param name="GradientNorm">The global L2 norm of the gradients, before clipping.</param>
/// <param name="TargetTokens">Tokens the loss was computed on.</param>
/// <param name="TotalTokens">Real (not padding) tokens processed.</param>
/// <param name="Seconds">Wall time the step took.</param>
public sealed record StepRecord(
    int Step, int Epoch, double Loss, double LearningRate, double GradientNorm, long TargetTokens, long TotalTokens, double Seconds);
