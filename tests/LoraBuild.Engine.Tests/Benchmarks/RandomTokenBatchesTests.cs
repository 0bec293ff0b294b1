using LoraBuild.Engine.Benchmarks;

namespace LoraBuild.Engine.Tests.Benchmarks;

public class RandomTokenBatchesTests
{
    [Fact]
    public void BatchesAreFullInRangeAndAPureFunctionOfTheirPosition()
    {
        var batches = new RandomTokenBatches(rows: 3, length: 5, vocab: 7, batchesPerEpoch: 2, seed: 1);

        var batch = batches.GetBatch(0, 1);

        Assert.Equal((3, 5), (batch.Rows, batch.Length));
        Assert.All(batch.InputIds, id => Assert.InRange(id, 0, 6));
        Assert.All(batch.AttentionMask, Assert.True);
        Assert.All(batch.IsTarget, Assert.True);
        Assert.Equal(batch.InputIds, new RandomTokenBatches(3, 5, 7, 2, seed: 1).GetBatch(0, 1).InputIds);
        Assert.NotEqual(batch.InputIds, batches.GetBatch(0, 0).InputIds);
        Assert.NotEqual(batch.InputIds, batches.GetBatch(1, 1).InputIds);
    }
}
