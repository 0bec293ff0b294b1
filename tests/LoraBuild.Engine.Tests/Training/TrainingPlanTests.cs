using LoraBuild.Core.Training;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Training;

public class TrainingPlanTests
{
    [Theory]
    [InlineData(10, 1, 3, null, 10, 30)]
    [InlineData(10, 4, 2, null, 3, 6)]
    [InlineData(10, 4, 2, 100, 3, 100)]
    [InlineData(10, 1, 5, 7, 10, 7)]
    public void StepsFollowEpochsUnlessMaxStepsIsSet(int batches, int accumulation, int epochs, int? maxSteps, int perEpoch, int total)
    {
        var spec = TrainingTestData.Spec(maxSteps: maxSteps) with { GradientAccumulationSteps = accumulation, Epochs = epochs };

        var plan = TrainingPlan.For(spec, batches);

        Assert.Equal(perEpoch, plan.StepsPerEpoch);
        Assert.Equal(total, plan.TotalSteps);
    }

    [Fact]
    public void TheLastStepOfAnEpochTakesWhatIsLeft()
    {
        var plan = TrainingPlan.For(TrainingTestData.Spec() with { GradientAccumulationSteps = 4 }, 10);

        Assert.Equal((4, 4, 2), (plan.MicroBatchesInStep(0), plan.MicroBatchesInStep(4), plan.MicroBatchesInStep(8)));
    }

    [Theory]
    [InlineData(0, 1, null)]
    [InlineData(1, 0, null)]
    [InlineData(1, 1, 0)]
    public void SettingsBelowOneAreRefused(int accumulation, int epochs, int? maxSteps)
    {
        var spec = TrainingTestData.Spec(maxSteps: maxSteps) with { GradientAccumulationSteps = accumulation, Epochs = epochs };

        var error = Assert.Throws<LoraException>(() => TrainingPlan.For(spec, 4));

        Assert.Equal(TrainingSettingErrorCodes.TrainingSettingInvalid, error.Code);
    }
}
