using LoraBuild.Core.Data;

namespace LoraBuild.Engine.Training;

/// <summary>Training batches from tokenized examples: each epoch's order from a <see cref="LengthBucketedBatcher"/>, padded on the right.</summary>
public sealed class ExampleBatches : ITrainingBatches
{
    private readonly IReadOnlyList<TokenizedExample> _examples;
    private readonly LengthBucketedBatcher _batcher;
    private readonly int _padId;
    private int _cachedEpoch = -1;
    private IReadOnlyList<int[]> _cachedOrder = [];

    /// <param name="examples">Every example, by index.</param>
    /// <param name="batcher">The batch order; built over the lengths of <paramref name="examples"/>.</param>
    /// <param name="padId">The id written into padding (masked, never a target).</param>
    public ExampleBatches(IReadOnlyList<TokenizedExample> examples, LengthBucketedBatcher batcher, int padId)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(batcher);
        _examples = examples;
        _batcher = batcher;
        _padId = padId;
    }

    public int BatchesPerEpoch => _batcher.BatchesPerEpoch;

    /// <summary>
    /// Batches of <paramref name="batchSize"/> examples, shuffled per epoch from <paramref name="seed"/>. With
    /// <paramref name="groupByLength"/> the examples of 50 batches are sorted by length before they are cut into batches
    /// (less padding); without it every batch is a random draw. Grouping trades randomness for speed: when length
    /// goes with the label (one template per class), grouped batches hold one class each and training suffers.
    /// </summary>
    public static ExampleBatches Shuffled(IReadOnlyList<TokenizedExample> examples, int batchSize, int seed, int padId, bool groupByLength = true)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var batcher = new LengthBucketedBatcher(
            [.. examples.Select(example => example.Length)],
            batchSize,
            unchecked((ulong)seed),
            groupByLength ? LengthBucketedBatcher.DefaultBucketBatches : 1);
        return new ExampleBatches(examples, batcher, padId);
    }

    /// <summary>The examples in their own order, <paramref name="batchSize"/> at a time (for evaluation).</summary>
    public static IEnumerable<PaddedBatch> InOrder(IReadOnlyList<TokenizedExample> examples, int batchSize, int padId)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        for (var start = 0; start < examples.Count; start += batchSize)
        {
            var indices = Enumerable.Range(start, Math.Min(batchSize, examples.Count - start)).ToArray();
            yield return BatchCollator.Collate(examples, indices, padId);
        }
    }

    public PaddedBatch GetBatch(int epoch, int index)
    {
        if (epoch != _cachedEpoch)
        {
            _cachedOrder = _batcher.Epoch(epoch);
            _cachedEpoch = epoch;
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _cachedOrder.Count);
        return BatchCollator.Collate(_examples, _cachedOrder[index], _padId);
    }
}
