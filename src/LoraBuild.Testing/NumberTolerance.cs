using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Testing;

/// <summary>
/// How far a received number may be from the verified one: it passes when
/// <c>|received − verified| ≤ max(Absolute, Relative · max(|received|, |verified|))</c>.
/// </summary>
/// <param name="Relative">The allowed difference as a fraction of the larger magnitude, e.g. <c>1e-6</c>.</param>
/// <param name="Absolute">The allowed difference near zero, where a relative bound allows nothing.</param>
public readonly record struct NumberTolerance(double Relative, double Absolute)
{
    /// <summary>The default: 1e-6 relative, 1e-12 absolute — equal up to float32 noise, different after any real change.</summary>
    public static NumberTolerance Default { get; } = new(1e-6, 1e-12);

    /// <summary>Only bit-for-bit equal numbers pass.</summary>
    public static NumberTolerance Exact { get; } = new(0, 0);

    /// <summary>A relative bound, with the default absolute bound near zero.</summary>
    public static NumberTolerance RelativeOf(double relative) => new(relative, Default.Absolute);

    /// <summary>Whether <paramref name="received"/> is within this tolerance of <paramref name="verified"/>.</summary>
    public bool Allows(double verified, double received)
    {
        if (verified.Equals(received))
        {
            return true;
        }

        var difference = Math.Abs(received - verified);
        var bound = Math.Max(Absolute, Relative * Math.Max(Math.Abs(received), Math.Abs(verified)));
        return difference <= bound;
    }

    /// <summary>How diffs name the tolerance, e.g. <c>±1e-6 relative, ±1e-12 absolute</c>.</summary>
    public override string ToString() =>
        this == Exact
            ? "exact"
            : $"±{EvalJsonNumber.Format(Relative)} relative, ±{EvalJsonNumber.Format(Absolute)} absolute";
}
