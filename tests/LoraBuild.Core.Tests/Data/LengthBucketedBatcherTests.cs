using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class LengthBucketedBatcherTests
{
    [Fact]
    public void SameSeedAndEpochGiveTheSameBatches()
    {
        var lengths = RandomLengths(500, seed: 1);

        var first = new LengthBucketedBatcher(lengths, batchSize: 8, seed: 42).Epoch(3);
        var second = new LengthBucketedBatcher(lengths, batchSize: 8, seed: 42).Epoch(3);

        Assert.Equal(first, second);
    }

    [Fact]
    public void OtherSeedOrEpochGivesOtherBatches()
    {
        var batcher = new LengthBucketedBatcher(RandomLengths(500, seed: 1), batchSize: 8, seed: 42);

        Assert.NotEqual(batcher.Epoch(0), batcher.Epoch(1));
        Assert.NotEqual(batcher.Epoch(0), new LengthBucketedBatcher(RandomLengths(500, seed: 1), batchSize: 8, seed: 43).Epoch(0));
    }

    [Theory]
    [InlineData(0, 4, 50)]
    [InlineData(1, 4, 50)]
    [InlineData(7, 3, 50)]
    [InlineData(100, 1, 50)]
    [InlineData(1001, 8, 50)]
    [InlineData(1001, 8, 1)]
    [InlineData(257, 16, 3)]
    public void EveryExampleAppearsExactlyOncePerEpoch(int count, int batchSize, int bucketBatches)
    {
        var batcher = new LengthBucketedBatcher(RandomLengths(count, seed: 2), batchSize, seed: 9, bucketBatches);

        for (var epoch = 0; epoch < 3; epoch++)
        {
            var batches = batcher.Epoch(epoch);

            Assert.Equal(Enumerable.Range(0, count), batches.SelectMany(batch => batch).Order());
            Assert.Equal(batcher.BatchesPerEpoch, batches.Count);
            Assert.True(batches.Count(batch => batch.Length != batchSize) <= 1);
            Assert.All(batches, batch => Assert.InRange(batch.Length, 1, batchSize));
        }
    }

    [Fact]
    public void WithinOneBucketBatchesHoldDisjointLengthRanges()
    {
        var lengths = RandomLengths(200, seed: 5);
        var batches = new LengthBucketedBatcher(lengths, batchSize: 4, seed: 7, bucketBatches: 50).Epoch(0);

        var ranges = batches
            .Select(batch => (Min: batch.Min(i => lengths[i]), Max: batch.Max(i => lengths[i])))
            .OrderByDescending(range => range.Max)
            .ToArray();

        for (var i = 1; i < ranges.Length; i++)
        {
            Assert.True(ranges[i].Max <= ranges[i - 1].Min, $"batch ranges overlap: {ranges[i - 1]} and {ranges[i]}");
        }
    }

    [Fact]
    public void BucketingCutsPaddingFarBelowRandomBatching()
    {
        var lengths = RandomLengths(2000, seed: 11);

        var bucketed = Padding(lengths, new LengthBucketedBatcher(lengths, batchSize: 8, seed: 3).Epoch(0));
        var unbucketed = Padding(lengths, new LengthBucketedBatcher(lengths, batchSize: 8, seed: 3, bucketBatches: 1).Epoch(0));

        Assert.True(bucketed * 10 < unbucketed, $"padding {bucketed} bucketed vs {unbucketed} unbucketed");
    }

    [Fact]
    public void BatchOrderIsShuffledNotSortedByLength()
    {
        var lengths = Enumerable.Range(1, 400).ToArray();
        var batches = new LengthBucketedBatcher(lengths, batchSize: 4, seed: 1).Epoch(0);

        var longest = batches.Select(batch => batch.Max(i => lengths[i])).ToArray();

        Assert.NotEqual(longest.OrderDescending(), longest);
        Assert.NotEqual(longest.Order(), longest);
    }

    [Theory]
    [InlineData(0, 50)]
    [InlineData(4, 0)]
    public void BatchOrBucketSizeBelowOneIsRejected(int batchSize, int bucketBatches)
    {
        LoraAssert.Throws(DataErrorCodes.DataSettingInvalid, null, () => _ = new LengthBucketedBatcher([1, 2], batchSize, seed: 1, bucketBatches));
    }

    private static int[] RandomLengths(int count, ulong seed)
    {
        var random = new SplitMix64(seed);
        return [.. Enumerable.Range(0, count).Select(_ => 1 + random.NextInt(512))];
    }

    private static long Padding(int[] lengths, IReadOnlyList<int[]> batches) =>
        batches.Sum(batch => (long)BatchCollator.PaddedLength(lengths, batch) * batch.Length - batch.Sum(i => (long)lengths[i]));
}
