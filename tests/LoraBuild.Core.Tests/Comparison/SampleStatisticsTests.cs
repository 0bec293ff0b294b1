using LoraBuild.Core.Comparison;

namespace LoraBuild.Core.Tests.Comparison;

public class SampleStatisticsTests
{
    [Fact]
    public void TheStandardDeviationDividesByNMinusOne()
    {
        // Mean 5; squared deviations 9+1+1+1+0+0+4+16 = 32; sample variance 32/7 (the population one would be 32/8 = 4).
        var statistics = SampleStatistics.Of([2, 4, 4, 4, 5, 5, 7, 9]);

        Assert.Equal(8, statistics.Count);
        Assert.Equal(5, statistics.Mean);
        Assert.Equal(Math.Sqrt(32.0 / 7), statistics.StandardDeviation!.Value, 12);
        Assert.Equal(2, statistics.Minimum);
        Assert.Equal(9, statistics.Maximum);
    }

    [Fact]
    public void ThreeSeedsOfExactMatch()
    {
        // 0.75, 0.875, 0.875: mean 2.5/3; deviations −1/12, 1/24, 1/24; squares sum 1/144 + 2/576 = 6/576; / 2 = 1/192.
        var statistics = SampleStatistics.Of([0.875, 0.75, 0.875]);

        Assert.Equal(2.5 / 3, statistics.Mean, 15);
        Assert.Equal(Math.Sqrt(1.0 / 192), statistics.StandardDeviation!.Value, 15);
        Assert.Equal("0.8333 ± 0.0722  (0.75 … 0.875)", statistics.Describe());
    }

    [Fact]
    public void EqualValuesHaveNoSpreadAndLargeOffsetsDoNotCancel()
    {
        Assert.Equal(0, SampleStatistics.Of([3.5, 3.5, 3.5]).StandardDeviation);
        // Σx² − n·mean² would lose every digit here; deviations from the mean keep them: std of (1e9+1, 1e9+2, 1e9+3) is 1.
        Assert.Equal(1, SampleStatistics.Of([1e9 + 1, 1e9 + 2, 1e9 + 3]).StandardDeviation!.Value, 9);
    }

    [Fact]
    public void OneValueHasNoStandardDeviation()
    {
        var statistics = SampleStatistics.Of([0.5]);

        Assert.Null(statistics.StandardDeviation);
        Assert.Equal("0.5 ± n/a  (0.5 … 0.5)", statistics.Describe());
    }

    [Fact]
    public void NoValuesOrNonFiniteValuesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => SampleStatistics.Of([]));
        Assert.Throws<ArgumentException>(() => SampleStatistics.Of([1, double.NaN]));
    }
}
