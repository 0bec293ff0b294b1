using LoraBuild.Core.Data;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>
/// Full batches of uniformly random token ids, every position real and a target, so each step processes exactly
/// rows × length tokens. Batch (epoch, index) is a pure function of the seed, as the trainer requires.
/// </summary>
public sealed class RandomTokenBatches : ITrainingBatches
{
    private readonly int _rows;
    private readonly int _length;
    private readonly int _vocab;
    private readonly ulong _seed;

    public RandomTokenBatches(int rows, int length, int vocab, int batchesPerEpoch, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocab, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesPerEpoch, 1);
        _rows = rows;
        _length = length;
        _vocab = vocab;
        _seed = unchecked((ulong)seed);
        BatchesPerEpoch = batchesPerEpoch;
    }

    public int BatchesPerEpoch { get; }

    public PaddedBatch GetBatch(int epoch, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchesPerEpoch);
        var stream = ((ulong)epoch * (ulong)BatchesPerEpoch) + (ulong)index;
        var random = new SplitMix64(SplitMix64.DeriveSeed(_seed, stream));
        var size = _rows * _length;
        var ids = new int[size];
        for (var i = 0; i < size; i++)
        {
            ids[i] = (int)(random.NextUInt64() % (ulong)_vocab);
        }

        var everywhere = new bool[size];
        Array.Fill(everywhere, true);
        return new PaddedBatch(_rows, _length, ids, everywhere, (bool[])everywhere.Clone());
    }
}
