using LoraBuild.Core.Training;

namespace LoraBuild.Core.Tests.Training;

public class LearningRateScheduleTests
{
    [Fact]
    public void WarmupRisesLinearlyToThePeak()
    {
        var schedule = new LearningRateSchedule("cosine", 1e-3, 0, warmupSteps: 4, totalSteps: 20);

        Assert.Equal([2.5e-4, 5e-4, 7.5e-4, 1e-3], Enumerable.Range(0, 4).Select(schedule.At), new Tolerance(1e-15));
    }

    [Fact]
    public void CosineFollowsItsFormula()
    {
        // warmup 2, total 12: progress at step s is (s - 2) / 10.
        var schedule = new LearningRateSchedule("cosine", 1.0, 0.1, warmupSteps: 2, totalSteps: 12);

        Assert.Equal(1.0, schedule.At(2), 12);
        Assert.Equal(0.1 + (0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.3))), schedule.At(5), 12);
        Assert.Equal(0.55, schedule.At(7), 12);
        Assert.Equal(0.1, schedule.At(12), 12);
        Assert.Equal(0.1, schedule.At(50), 12);
    }

    [Fact]
    public void LinearDecaysToTheMinimum()
    {
        var schedule = new LearningRateSchedule("linear", 2.0, 0.0, warmupSteps: 0, totalSteps: 10);

        Assert.Equal(2.0, schedule.At(0), 12);
        Assert.Equal(1.2, schedule.At(4), 12);
        Assert.Equal(0.0, schedule.At(10), 12);
    }

    [Fact]
    public void ConstantStaysAtThePeakAfterWarmup()
    {
        var schedule = new LearningRateSchedule("constant", 0.5, 0.0, warmupSteps: 1, totalSteps: 10);

        Assert.All(Enumerable.Range(0, 10), step => Assert.Equal(0.5, schedule.At(step)));
    }

    [Fact]
    public void UnknownKindsAreRejected() =>
        Assert.Throws<ArgumentException>(() => new LearningRateSchedule("step", 1, 0, 0, 10));

    private sealed class Tolerance(double epsilon) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(double obj) => 0;
    }
}
