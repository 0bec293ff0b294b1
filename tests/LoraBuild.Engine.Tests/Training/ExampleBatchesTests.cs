using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Training;

public class ExampleBatchesTests
{
    [Fact]
    public void EveryExampleAppearsOncePerEpochInARepeatableOrder()
    {
        var examples = Enumerable.Range(0, 7).Select(i => TrainingTestData.Example(1, [.. Enumerable.Range(1, 2 + i)])).ToArray();
        var batches = ExampleBatches.Shuffled(examples, batchSize: 3, seed: 5, TrainingTestData.PadId);
        var again = ExampleBatches.Shuffled(examples, batchSize: 3, seed: 5, TrainingTestData.PadId);

        Assert.Equal(3, batches.BatchesPerEpoch);
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var lengths = Enumerable.Range(0, 3).Select(index => batches.GetBatch(epoch, index))
                .SelectMany(batch => Enumerable.Range(0, batch.Rows).Select(row => batch.AttentionMask.Skip(row * batch.Length).Take(batch.Length).Count(real => real)))
                .Order();
            Assert.Equal(examples.Select(example => example.Length), lengths);
            Assert.Equal(batches.GetBatch(epoch, 1).InputIds, again.GetBatch(epoch, 1).InputIds);
        }
    }

    [Fact]
    public void InOrderKeepsTheExamplesOrderAndPadsOnTheRight()
    {
        var examples = new[] { TrainingTestData.Example(1, 4, 5), TrainingTestData.Example(1, 6, 7, 8), TrainingTestData.Example(1, 9, 10) };

        var batches = ExampleBatches.InOrder(examples, batchSize: 2, padId: 0).ToList();

        Assert.Equal(2, batches.Count);
        Assert.Equal([4, 5, 0, 6, 7, 8], batches[0].InputIds);
        Assert.Equal([true, true, false, true, true, true], batches[0].AttentionMask);
        Assert.Equal([9, 10], batches[1].InputIds);
    }
}
