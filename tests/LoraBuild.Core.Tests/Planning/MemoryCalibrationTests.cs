using LoraBuild.Core.Planning;

namespace LoraBuild.Core.Tests.Planning;

public class MemoryCalibrationTests
{
    private static double RelativeError(CalibrationPoint point)
    {
        var predicted = MemoryPlanner.Plan(ModelPresets.Load(point.Preset), point.Settings).PeakGigabytes;
        return (predicted - point.MeasuredGigabytes) / point.MeasuredGigabytes;
    }

    [Fact]
    public void TheStudysDefaultRunIsPredictedWithinTenPercent()
    {
        // The contract: Llama 2 7B, r=8 on q_proj and v_proj, bf16, AdamW, micro-batch 1, 1304 tokens → 21.33 GB.
        var plan = MemoryPlanner.Plan(ModelPresets.Load("llama-2-7b"), new PlanSettings());

        Assert.InRange(plan.PeakGigabytes, 21.33 * 0.9, 21.33 * 1.1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TheStudysQLoraRunIsPredictedWithinTenPercent(bool doubleQuantization)
    {
        var settings = new PlanSettings { Quantization = BaseQuantization.Nf4, DoubleQuantization = doubleQuantization };

        var plan = MemoryPlanner.Plan(ModelPresets.Load("llama-2-7b"), settings);

        Assert.InRange(plan.PeakGigabytes, 14.18 * 0.9, 14.18 * 1.1);
    }

    [Fact]
    public void EveryCalibrationPointIsWithinItsDocumentedError()
    {
        // docs/memory-planning.md: within 3% on every point but LoRA on all layers (+7.2%), which stays under 8%.
        Assert.All(MemoryCalibration.Points, point =>
        {
            var bound = point.Settings.Targets.AllLinear ? 0.08 : 0.03;
            Assert.True(Math.Abs(RelativeError(point)) <= bound, $"{point.Run}: {RelativeError(point):P1}");
        });
    }

    [Fact]
    public void TheFitSolvesItsNormalEquations()
    {
        // At the weighted least-squares optimum the weighted residuals are orthogonal to both regressors (1 and activations).
        var constants = MemoryCalibration.Constants;
        double sumResidual = 0, sumResidualMagnitude = 0, sumActivationResidual = 0, sumActivationResidualMagnitude = 0;
        foreach (var point in MemoryCalibration.Points)
        {
            var estimate = MemoryModel.Estimate(ModelPresets.Load(point.Preset), point.Settings);
            var measured = point.MeasuredGigabytes * MemoryPlan.BytesPerGigabyte;
            var relative = (estimate.Counted + (constants.ActivationFactor * estimate.RawActivations) + constants.OverheadBytes - measured) / measured;
            sumResidual += relative / measured;
            sumResidualMagnitude += Math.Abs(relative / measured);
            sumActivationResidual += relative * estimate.RawActivations / measured;
            sumActivationResidualMagnitude += Math.Abs(relative * estimate.RawActivations / measured);
        }

        Assert.True(Math.Abs(sumResidual) < 1e-6 * sumResidualMagnitude, $"Σ w·r = {sumResidual}");
        Assert.True(Math.Abs(sumActivationResidual) < 1e-6 * sumActivationResidualMagnitude, $"Σ w·a·r = {sumActivationResidual}");
    }

    [Fact]
    public void SgdAndAdamWDifferByTheOptimizerStateAlone()
    {
        var model = ModelPresets.Load("llama-2-7b");
        var adamw = MemoryPlanner.Plan(model, new PlanSettings { Quantization = BaseQuantization.Nf4 });
        var sgd = MemoryPlanner.Plan(model, new PlanSettings { Quantization = BaseQuantization.Nf4, Optimizer = OptimizerKind.Sgd });

        // 4,194,304 LoRA parameters × 2 fp32 moments = 33.6 MB: the study measured 30 MB (14.18 vs 14.15 GB).
        Assert.Equal(4_194_304L * 2 * 4, adamw.PeakBytes - sgd.PeakBytes, precision: 0);
    }
}
