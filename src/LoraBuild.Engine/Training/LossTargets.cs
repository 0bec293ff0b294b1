using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Training;

/// <summary>
/// Where a batch's loss comes from, worked out on the host: position <c>t + 1</c> is a label when it is a target and a
/// real token, and it is predicted from the hidden state at <c>t</c>. Positions index the batch flattened row-major.
/// </summary>
/// <param name="PredictorPositions">Flat indices <c>row · length + t</c> of the hidden states that predict a label.</param>
/// <param name="Labels">The token each of them must predict: the id at <c>t + 1</c>.</param>
/// <param name="RealTokens">Positions holding a real token (not padding).</param>
/// <param name="HasPadding">Whether any position is padding.</param>
internal sealed record LossTargets(long[] PredictorPositions, long[] Labels, int RealTokens, bool HasPadding)
{
    public int Count => Labels.Length;

    /// <exception cref="LoraException"><see cref="TrainingErrorCodes.BatchInvalid"/> for arrays that do not fit the shape, or a real or target token after padding.</exception>
    public static LossTargets From(PaddedBatch batch, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var size = (long)batch.Rows * batch.Length;
        if (batch.Rows < 1 || batch.Length < 1
            || batch.InputIds.Length != size || batch.IsTarget.Length != size || batch.AttentionMask.Length != size)
        {
            throw new LoraException(
                TrainingErrorCodes.BatchInvalid,
                $"A batch of {batch.Rows} × {batch.Length} needs that many ids, targets and mask entries, "
                    + $"but has {batch.InputIds.Length}, {batch.IsTarget.Length} and {batch.AttentionMask.Length}.",
                location);
        }

        var positions = new List<long>();
        var labels = new List<long>();
        var realTokens = 0;
        for (var row = 0; row < batch.Rows; row++)
        {
            var offset = row * batch.Length;
            var padded = false;
            for (var t = 0; t < batch.Length; t++)
            {
                var index = offset + t;
                if (!batch.AttentionMask[index])
                {
                    padded = true;
                    if (batch.IsTarget[index])
                    {
                        throw new LoraException(
                            TrainingErrorCodes.BatchInvalid, $"Row {row}, position {t} is padding but marked as a target.", location);
                    }

                    continue;
                }

                if (padded)
                {
                    throw new LoraException(
                        TrainingErrorCodes.BatchInvalid,
                        $"Row {row} has a real token at position {t} after padding; batches must be padded on the right.",
                        location);
                }

                realTokens++;
                if (t > 0 && batch.IsTarget[index])
                {
                    positions.Add(index - 1);
                    labels.Add(batch.InputIds[index]);
                }
            }
        }

        return new LossTargets([.. positions], [.. labels], realTokens, realTokens != size);
    }
}
