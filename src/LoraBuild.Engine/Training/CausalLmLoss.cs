using LoraBuild.Core.Data;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// Next-token cross-entropy over a batch's target tokens: logits at <c>t</c> against the id at <c>t + 1</c> wherever
/// <c>t + 1</c> is a target. Only the hidden states that predict a target are projected onto the vocabulary, which
/// spares the output head the prompt and padding positions.
/// </summary>
internal static class CausalLmLoss
{
    /// <summary>The summed (not averaged) loss over the targets, a float32 scalar; zero when there are none.</summary>
    public static Tensor Sum(CausalLanguageModel model, PaddedBatch batch, LossTargets targets)
    {
        if (targets.Count == 0)
        {
            return zeros([], ScalarType.Float32, model.Device);
        }

        using var scope = NewDisposeScope();
        var logits = PredictorLogits(model, batch, targets);
        var labels = tensor(targets.Labels, device: model.Device);
        return nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The float32 logits <c>[targets.Count, vocabulary]</c> at the positions that predict a target, in the order of
    /// <see cref="LossTargets.Labels"/>; <paramref name="targets"/> must not be empty.
    /// </summary>
    public static Tensor PredictorLogits(CausalLanguageModel model, PaddedBatch batch, LossTargets targets)
    {
        var device = model.Device;
        using var scope = NewDisposeScope();
        long[] shape = [batch.Rows, batch.Length];
        var ids = tensor(batch.InputIds, shape, ScalarType.Int64, device);
        var attentionMask = targets.HasPadding ? tensor(batch.AttentionMask, shape, ScalarType.Bool, device) : null;
        var hidden = model.ForwardHidden(ids, attentionMask);
        var predictors = hidden.reshape(-1, hidden.shape[^1]).index_select(0, tensor(targets.PredictorPositions, device: device));
        return model.ComputeLogits(predictors).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }
}
