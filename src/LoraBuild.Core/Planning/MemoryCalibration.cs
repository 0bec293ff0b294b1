using LoraBuild.Core.Adapters;

namespace LoraBuild.Core.Planning;

/// <summary>
/// The published measurements the planner is calibrated on, and the fit of its two free constants to them: the
/// activation factor and the fixed overhead, chosen to minimise the sum of squared relative errors over every point.
/// The fit runs once, from these points, when the planner is first used; docs/memory-planning.md lists the result.
/// </summary>
public static class MemoryCalibration
{
    private const string LitGpt = "LitGPT tutorials/resource-tables.md (A100-SXM4-40GB, commit 8641822, 2023-10-20)";
    private const string Study = "Raschka, Practical Tips for Finetuning LLMs Using LoRA (A100, LitGPT)";

    /// <summary>Every published point, all measured with LitGPT's <c>finetune/lora.py</c> on Alpaca with bf16-true weights.</summary>
    public static IReadOnlyList<CalibrationPoint> Points { get; } =
    [
        new(LitGpt, "Llama 2 7B, LoRA q,v r=8, bf16, micro-batch 1", "llama-2-7b", StudyDefaults(), 21.30),
        new(LitGpt, "Llama 2 7B, LoRA q,v r=8, nf4", "llama-2-7b", StudyDefaults() with { Quantization = BaseQuantization.Nf4, DoubleQuantization = false }, 14.14),
        new(LitGpt, "Llama 2 7B, LoRA q,v r=8, nf4 + double quantization", "llama-2-7b", StudyDefaults() with { Quantization = BaseQuantization.Nf4 }, 13.84),
        new(LitGpt, "Llama 2 7B, LoRA q,v r=8, bf16, micro-batch 2", "llama-2-7b", StudyDefaults() with { MicroBatch = 2 }, 29.07),
        new(LitGpt, "Llama 2 13B, LoRA q,v r=8, bf16, micro-batch 1", "llama-2-13b", StudyDefaults(), 38.12),
        new(LitGpt, "Llama 2 13B, LoRA q,v r=8, nf4", "llama-2-13b", StudyDefaults() with { Quantization = BaseQuantization.Nf4, DoubleQuantization = false }, 23.14),
        new(LitGpt, "Llama 2 13B, LoRA q,v r=8, nf4 + double quantization", "llama-2-13b", StudyDefaults() with { Quantization = BaseQuantization.Nf4 }, 22.55),
        new(Study, "Llama 2 7B, LoRA q,v r=8, bf16 (the study's default)", "llama-2-7b", StudyDefaults(), 21.33),
        new(Study, "Llama 2 7B, LoRA q,v r=8, nf4 (QLoRA)", "llama-2-7b", StudyDefaults() with { Quantization = BaseQuantization.Nf4, DoubleQuantization = false }, 14.18),
        new(Study, "Llama 2 7B, LoRA q,v r=8, nf4, SGD instead of AdamW", "llama-2-7b", StudyDefaults() with { Quantization = BaseQuantization.Nf4, DoubleQuantization = false, Optimizer = OptimizerKind.Sgd }, 14.15),
        new(
            Study,
            "Llama 2 7B, LoRA on all layers and lm_head r=8, nf4",
            "llama-2-7b",
            StudyDefaults() with { Quantization = BaseQuantization.Nf4, DoubleQuantization = false, Targets = AdapterTargets.FromNames([AdapterTargets.AllLinearKeyword, "lm_head"]) },
            16.62),
    ];

    private static readonly Lazy<CalibrationConstants> s_constants = new(() => Fit(Points));

    /// <summary>The constants fitted to <see cref="Points"/>.</summary>
    public static CalibrationConstants Constants => s_constants.Value;

    /// <summary>
    /// Fits the activation factor c and overhead f of <c>peak = counted + c·activations + f</c> to the points by weighted
    /// least squares (weights 1/measured², so relative errors count equally), solving the 2×2 normal equations.
    /// </summary>
    public static CalibrationConstants Fit(IReadOnlyList<CalibrationPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count < 2)
        {
            throw new ArgumentException("Two constants need at least two points.", nameof(points));
        }

        double saa = 0, sa = 0, s1 = 0, sab = 0, sb = 0;
        foreach (var point in points)
        {
            var estimate = MemoryModel.Estimate(ModelPresets.Load(point.Preset), point.Settings);
            var measured = point.MeasuredGigabytes * MemoryPlan.BytesPerGigabyte;
            var weight = 1.0 / (measured * measured);
            double activations = estimate.RawActivations;
            var remainder = measured - estimate.Counted;
            saa += weight * activations * activations;
            sa += weight * activations;
            s1 += weight;
            sab += weight * activations * remainder;
            sb += weight * remainder;
        }

        var determinant = (saa * s1) - (sa * sa);
        return new CalibrationConstants(((sab * s1) - (sa * sb)) / determinant, ((saa * sb) - (sa * sab)) / determinant);
    }

    private static PlanSettings StudyDefaults() => new();
}
