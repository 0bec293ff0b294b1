namespace LoraBuild.Core.Data;

/// <summary>Pads the sequences of one batch to a common length.</summary>
public static class BatchCollator
{
    /// <summary>The length a batch is padded to: its longest sequence.</summary>
    /// <param name="lengths">The length of every example, by index.</param>
    /// <param name="batch">The indices of the batch's examples.</param>
    public static int PaddedLength(IReadOnlyList<int> lengths, IReadOnlyList<int> batch)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(batch);
        var longest = 0;
        foreach (var index in batch)
        {
            longest = Math.Max(longest, lengths[index]);
        }

        return longest;
    }

    /// <summary>Pads the batch's sequences on the right with <paramref name="padId"/>.</summary>
    /// <param name="examples">Every example, by index.</param>
    /// <param name="batch">The indices of the batch's examples, in row order.</param>
    /// <param name="padId">The id written into padding positions (any id: padding is masked and never a target).</param>
    public static PaddedBatch Collate(IReadOnlyList<TokenizedExample> examples, IReadOnlyList<int> batch, int padId)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(batch);
        var length = 0;
        foreach (var index in batch)
        {
            length = Math.Max(length, examples[index].Length);
        }

        var ids = new int[batch.Count * length];
        var targets = new bool[ids.Length];
        var attention = new bool[ids.Length];
        Array.Fill(ids, padId);
        for (var row = 0; row < batch.Count; row++)
        {
            var example = examples[batch[row]];
            var offset = row * length;
            example.InputIds.CopyTo(ids, offset);
            example.IsTarget.CopyTo(targets, offset);
            attention.AsSpan(offset, example.Length).Fill(true);
        }

        return new PaddedBatch(batch.Count, length, ids, targets, attention);
    }
}
