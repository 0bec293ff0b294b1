using LoraBuild.Core.Progress;

namespace LoraBuild.Core.Tests.Progress;

public class WorkProgressTests
{
    [Fact]
    public void TheTimeLeftIsTheMeanPaceSoFarTimesTheWorkLeft()
    {
        var progress = new WorkProgress(Done: 10, Total: 50);

        Assert.Equal(0.2, progress.Fraction, 12);
        Assert.Equal(TimeSpan.FromSeconds(80), progress.Remaining(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void NothingDoneHasNoEstimateAndEverythingDoneHasNothingLeft()
    {
        Assert.Null(new WorkProgress(0, 50).Remaining(TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.Zero, new WorkProgress(50, 50).Remaining(TimeSpan.FromSeconds(3)));
        Assert.Equal(1, new WorkProgress(0, 0).Fraction);
        Assert.Equal(1, new WorkProgress(70, 50).Fraction);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(7.4, "0:07")]
    [InlineData(754, "12:34")]
    [InlineData(3600, "1:00:00")]
    [InlineData(7509, "2:05:09")]
    [InlineData(-3, "0:00")]
    public void DurationsDoNotWrapAtAnHour(double seconds, string expected) =>
        Assert.Equal(expected, Durations.Clock(TimeSpan.FromSeconds(seconds)));
}
