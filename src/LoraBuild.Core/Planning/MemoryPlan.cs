namespace LoraBuild.Core.Planning;

/// <summary>
/// A predicted peak of GPU memory (what <c>torch.cuda.max_memory_allocated</c> reports) and its parts, in bytes.
/// </summary>
public sealed record MemoryPlan
{
    /// <summary>The planner's unit: a GB of 10⁹ bytes, as LitGPT and the field study report memory.</summary>
    public const double BytesPerGigabyte = 1e9;

    /// <summary>The counted parts the plan was built from.</summary>
    public required MemoryEstimate Estimate { get; init; }

    /// <summary>The constants that turned the count into a prediction.</summary>
    public required CalibrationConstants Calibration { get; init; }

    /// <summary>Activations kept for the backward pass: the raw inventory times the fitted factor.</summary>
    public double Activations => Estimate.RawActivations * Calibration.ActivationFactor;

    /// <summary>The fitted fixed overhead.</summary>
    public double Overhead => Calibration.OverheadBytes;

    /// <summary>The predicted peak of allocated memory.</summary>
    public double PeakBytes => Estimate.Counted + Activations + Overhead;

    /// <summary><see cref="PeakBytes"/> in GB.</summary>
    public double PeakGigabytes => PeakBytes / BytesPerGigabyte;
}
