using LoraBuild.Core.Data;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// The gradient behind Sophia-G's Gauss-Newton-Bartlett estimate of the diagonal Hessian (Liu et al. 2023,
/// Algorithm 2): at every target position a label <c>ŷ</c> is drawn from the model's own softmax, and
/// <c>ĝ = ∇ (1/B) Σ ℓ_ce(f(θ, x_b), ŷ_b)</c> over the B target tokens. In expectation over <c>ŷ</c>,
/// <c>B·ĝ⊙ĝ</c> is the diagonal of the Gauss-Newton matrix of the mean loss, and never negative.
/// </summary>
internal static class GaussNewtonBartlett
{
    /// <summary>
    /// Adds <c>ĝ</c> over <paramref name="microBatches"/> to the gradients of the parameters that require one, each
    /// micro-batch's summed sampled-label loss divided by <paramref name="targetTokens"/> (B), as the trainer
    /// accumulates the real loss. Labels are drawn from <paramref name="generator"/>, on the model's device.
    /// </summary>
    /// <returns>The mean sampled-label loss, to check that the estimate is finite.</returns>
    public static double AccumulateGradients(
        CausalLanguageModel model, IReadOnlyList<(PaddedBatch Batch, LossTargets Targets)> microBatches, long targetTokens, Generator generator)
    {
        using var stepScope = NewDisposeScope();
        var lossTotal = zeros([], ScalarType.Float32, model.Device);
        foreach (var (batch, targets) in microBatches)
        {
            if (targets.Count == 0)
            {
                continue;
            }

            using var scope = NewDisposeScope();
            var logits = CausalLmLoss.PredictorLogits(model, batch, targets);
            Tensor sampled;
            using (no_grad())
            {
                sampled = logits.softmax(-1).multinomial(1, generator: generator).squeeze(1);
            }

            var lossSum = nn.functional.cross_entropy(logits, sampled, reduction: nn.Reduction.Sum);
            using var tokens = targetTokens.ToScalar();
            lossSum.div(tokens).backward();
            lossTotal.PlusInPlace(lossSum.detach());
        }

        return lossTotal.item<float>() / (double)targetTokens;
    }
}
