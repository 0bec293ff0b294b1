using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>Loss and perplexity of a model on held-out batches: evaluation mode, no gradients.</summary>
public static class Evaluator
{
    /// <summary>
    /// The mean cross-entropy over every target token of <paramref name="batches"/> (a token-weighted mean, the same
    /// loss the trainer minimizes) and its perplexity. The model's training flag is restored afterwards.
    /// </summary>
    /// <exception cref="LoraException"><see cref="TrainingErrorCodes.EvaluationHasNoTargets"/>, or a malformed batch.</exception>
    public static EvaluationResult Evaluate(
        CausalLanguageModel model, IEnumerable<PaddedBatch> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            var lossSum = 0.0;
            var targetTokens = 0L;
            var batchCount = 0;
            foreach (var batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var targets = LossTargets.From(batch, $"evaluation batch {batchCount}");
                batchCount++;
                if (targets.Count == 0)
                {
                    continue;
                }

                using var scope = NewDisposeScope();
                lossSum += CausalLmLoss.Sum(model, batch, targets).item<float>();
                targetTokens += targets.Count;
            }

            if (targetTokens == 0)
            {
                throw new LoraException(
                    TrainingErrorCodes.EvaluationHasNoTargets, $"The {batchCount} evaluation batches contain no target token.");
            }

            var loss = lossSum / targetTokens;
            return new EvaluationResult(loss, Math.Exp(loss), targetTokens, batchCount);
        }
        finally
        {
            model.train(wasTraining);
        }
    }
}
