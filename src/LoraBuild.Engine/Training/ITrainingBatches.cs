using LoraBuild.Core.Data;

namespace LoraBuild.Engine.Training;

/// <summary>
/// The training data as the trainer sees it: a fixed number of micro-batches per epoch, each a pure function of the
/// epoch and its index, so a run can restart at any (epoch, index) and see the same batches.
/// </summary>
public interface ITrainingBatches
{
    /// <summary>Micro-batches in every epoch.</summary>
    int BatchesPerEpoch { get; }

    /// <summary>Micro-batch <paramref name="index"/> (0 … <see cref="BatchesPerEpoch"/> − 1) of epoch <paramref name="epoch"/> (from 0), padded on the right.</summary>
    PaddedBatch GetBatch(int epoch, int index);
}
