using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>
/// Forms each epoch's batches of example indices so that examples of similar length share a batch (less padding)
/// while the order stays random. Per epoch: shuffle all indices; cut the shuffled order into buckets of
/// <c>bucketBatches × batchSize</c> examples; sort each bucket by length (longest first); cut each bucket into
/// consecutive batches; shuffle the order of the batches. Every example appears in exactly one batch per epoch; only
/// the last bucket's last batch can be smaller than the batch size.
/// </summary>
/// <remarks>
/// All randomness comes from <see cref="SplitMix64"/> streams derived from the seed and the epoch number, so the
/// same lengths, batch size, seed and epoch always give the same batches, on any .NET version.
/// </remarks>
public sealed class LengthBucketedBatcher
{
    /// <summary>The default bucket size, in batches.</summary>
    public const int DefaultBucketBatches = 50;

    private readonly int[] _lengths;

    /// <param name="lengths">The length (in tokens) of every example, by index.</param>
    /// <param name="batchSize">Examples per batch; at least 1.</param>
    /// <param name="seed">The seed of the shuffles.</param>
    /// <param name="bucketBatches">How many batches' worth of examples are sorted by length together; at least 1.</param>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.DataSettingInvalid"/> for a batch or bucket size below 1.</exception>
    public LengthBucketedBatcher(IReadOnlyList<int> lengths, int batchSize, ulong seed, int bucketBatches = DefaultBucketBatches)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        if (batchSize < 1)
        {
            throw new LoraException(DataErrorCodes.DataSettingInvalid, $"The batch size must be at least 1, but is {batchSize}.");
        }

        if (bucketBatches < 1)
        {
            throw new LoraException(
                DataErrorCodes.DataSettingInvalid, $"The bucket size must be at least 1 batch, but is {bucketBatches}.");
        }

        _lengths = [.. lengths];
        BatchSize = batchSize;
        Seed = seed;
        BucketBatches = bucketBatches;
    }

    /// <summary>Examples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>The seed of the shuffles.</summary>
    public ulong Seed { get; }

    /// <summary>How many batches' worth of examples are sorted by length together.</summary>
    public int BucketBatches { get; }

    /// <summary>The number of batches in every epoch.</summary>
    public int BatchesPerEpoch => (_lengths.Length + BatchSize - 1) / BatchSize;

    /// <summary>The batches of one epoch, in training order; each holds example indices.</summary>
    /// <param name="epoch">The epoch number, from 0; each epoch has its own shuffles.</param>
    public IReadOnlyList<int[]> Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        var random = new SplitMix64(SplitMix64.DeriveSeed(Seed, (ulong)epoch));
        var order = Enumerable.Range(0, _lengths.Length).ToArray();
        random.Shuffle(order.AsSpan());

        // Ties in length keep their shuffled order, so the sort is deterministic however Array.Sort works.
        var shuffledPosition = new int[order.Length];
        for (var position = 0; position < order.Length; position++)
        {
            shuffledPosition[order[position]] = position;
        }

        var batches = new List<int[]>(BatchesPerEpoch);
        var bucketSize = (int)Math.Min((long)BucketBatches * BatchSize, Math.Max(order.Length, 1));
        for (var start = 0; start < order.Length; start += bucketSize)
        {
            var bucket = order.AsSpan(start, Math.Min(bucketSize, order.Length - start));
            bucket.Sort((a, b) =>
            {
                var byLength = _lengths[b].CompareTo(_lengths[a]);
                return byLength != 0 ? byLength : shuffledPosition[a].CompareTo(shuffledPosition[b]);
            });
            for (var offset = 0; offset < bucket.Length; offset += BatchSize)
            {
                batches.Add(bucket.Slice(offset, Math.Min(BatchSize, bucket.Length - offset)).ToArray());
            }
        }

        var batchOrder = batches.ToArray();
        random.Shuffle(batchOrder.AsSpan());
        return batchOrder;
    }
}
