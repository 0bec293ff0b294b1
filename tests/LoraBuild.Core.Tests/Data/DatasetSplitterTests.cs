using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class DatasetSplitterTests
{
    private static readonly string[] s_items = [.. Enumerable.Range(0, 100).Select(i => $"example {i}")];

    [Fact]
    public void SameSeedGivesTheSameSplit()
    {
        var first = DatasetSplitter.Split(s_items, 0.1, seed: 42);
        var second = DatasetSplitter.Split(s_items, 0.1, seed: 42);

        Assert.Equal(first.Train, second.Train);
        Assert.Equal(first.Eval, second.Eval);
        Assert.NotEqual(first.Eval, DatasetSplitter.Split(s_items, 0.1, seed: 43).Eval);
    }

    [Fact]
    public void PartsAreDisjointCompleteAndInOriginalOrder()
    {
        var split = DatasetSplitter.Split(s_items, 0.25, seed: 7);

        Assert.Equal(25, split.Eval.Count);
        Assert.Equal(75, split.Train.Count);
        Assert.Equal(s_items.Order(), split.Train.Concat(split.Eval).Order());
        Assert.Equal(split.Train.OrderBy(item => Array.IndexOf(s_items, item)), split.Train);
        Assert.Equal(split.Eval.OrderBy(item => Array.IndexOf(s_items, item)), split.Eval);
    }

    [Theory]
    [InlineData(100, 0.0, 0)]
    [InlineData(100, 0.004, 1)]
    [InlineData(10, 0.15, 2)]
    [InlineData(2, 0.9, 1)]
    [InlineData(1, 0.5, 0)]
    [InlineData(0, 0.5, 0)]
    public void EvalCountIsRoundedAndNeverTakesEverything(int count, double fraction, int expectedEval)
    {
        var split = DatasetSplitter.Split(s_items[..count], fraction, seed: 1);

        Assert.Equal(expectedEval, split.Eval.Count);
        Assert.Equal(count - expectedEval, split.Train.Count);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void FractionOutsideZeroToOneIsRejected(double fraction)
    {
        LoraAssert.Throws(DataErrorCodes.DataSettingInvalid, null, () => DatasetSplitter.Split(s_items, fraction, seed: 1));
    }
}
