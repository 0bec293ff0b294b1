using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Training;

public class LossTargetsTests
{
    [Fact]
    public void EachTargetIsPredictedFromThePositionBeforeIt()
    {
        var batch = TrainingTestData.Batch(
            TrainingTestData.Example(2, 10, 11, 12, 13),
            TrainingTestData.Example(1, 20, 21));

        var targets = LossTargets.From(batch);

        // Row 0: targets at 2, 3 → predictors 1, 2. Row 1 (length 4, padded from 2): target at 1 → predictor 4 + 0.
        Assert.Equal([1L, 2, 4], targets.PredictorPositions);
        Assert.Equal([12L, 13, 21], targets.Labels);
        Assert.Equal(6, targets.RealTokens);
        Assert.True(targets.HasPadding);
    }

    [Fact]
    public void TheFirstPositionIsNeverALabel()
    {
        var batch = new PaddedBatch(1, 3, [5, 6, 7], [true, true, false], [true, true, true]);

        var targets = LossTargets.From(batch);

        Assert.Equal([0L], targets.PredictorPositions);
        Assert.Equal([6L], targets.Labels);
        Assert.False(targets.HasPadding);
    }

    [Fact]
    public void ATokenAfterPaddingIsRefused()
    {
        var batch = new PaddedBatch(1, 3, [5, 0, 7], [false, false, true], [true, false, true]);

        var error = Assert.Throws<LoraException>(() => LossTargets.From(batch, "epoch 0, batch 3"));

        Assert.Equal(TrainingErrorCodes.BatchInvalid, error.Code);
        Assert.Equal("epoch 0, batch 3", error.Location);
    }

    [Fact]
    public void ATargetOnPaddingIsRefused()
    {
        var batch = new PaddedBatch(1, 3, [5, 6, 0], [false, true, true], [true, true, false]);

        Assert.Equal(TrainingErrorCodes.BatchInvalid, Assert.Throws<LoraException>(() => LossTargets.From(batch)).Code);
    }

    [Fact]
    public void ArraysThatDoNotFitTheShapeAreRefused()
    {
        var batch = new PaddedBatch(2, 3, [5, 6, 7], [false, true, true], [true, true, true]);

        Assert.Equal(TrainingErrorCodes.BatchInvalid, Assert.Throws<LoraException>(() => LossTargets.From(batch)).Code);
    }
}
