namespace LoraBuild.Core.Data;

/// <summary>
/// A batch padded on the right to its longest sequence, stored row-major as <c>[Rows, Length]</c>. Padding
/// positions hold the pad id, are masked out of attention and are never targets.
/// </summary>
/// <param name="Rows">The number of sequences.</param>
/// <param name="Length">The padded length: the longest sequence in the batch.</param>
/// <param name="InputIds">Token ids, <c>Rows × Length</c>.</param>
/// <param name="IsTarget">Whether the loss is computed on each position, <c>Rows × Length</c>.</param>
/// <param name="AttentionMask">Whether each position holds a real token (not padding), <c>Rows × Length</c>.</param>
public sealed record PaddedBatch(int Rows, int Length, int[] InputIds, bool[] IsTarget, bool[] AttentionMask)
{
    /// <summary>The number of positions the loss is computed on.</summary>
    public int TargetCount => IsTarget.Count(target => target);

    /// <summary>The labels: the id where a position is a target, <paramref name="ignoreIndex"/> elsewhere (padding included).</summary>
    public int[] Labels(int ignoreIndex = TokenizedExample.IgnoreIndex)
    {
        var labels = new int[InputIds.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = IsTarget[i] ? InputIds[i] : ignoreIndex;
        }

        return labels;
    }
}
