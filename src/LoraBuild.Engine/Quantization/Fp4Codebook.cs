using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// bitsandbytes' 4-bit float (<c>fp4</c>): a sign bit (8) and three bits of magnitude, an e2m1-style float with one
/// subnormal, scaled so that the largest magnitude is 1. Unlike NF4's, its codes are not in value order, and a value
/// takes its code by bitsandbytes' own comparisons (<see cref="Codes"/>), not by the midpoints of these values.
/// </summary>
public static class Fp4Codebook
{
    private const int SignBit = 0b1000;

    /// <summary>The magnitude of codes 0b000 … 0b111 (twelfths, and 1/192 for the subnormal), as bitsandbytes' table holds them.</summary>
    private static readonly float[] s_magnitudes = [0f, 0.005208333333f, 0.66666667f, 1f, 0.33333333f, 0.5f, 0.16666667f, 0.25f];

    /// <summary>
    /// The thresholds bitsandbytes compares a magnitude with (strictly greater goes up), ascending, and the magnitude code
    /// of each interval they bound, from 0 up to 1.
    /// </summary>
    private static readonly float[] s_magnitudeThresholds = [0.00260417f, 0.0859375f, 0.20833333f, 0.29166667f, 0.4166667f, 0.583333f, 0.8333333f];

    private static readonly long[] s_magnitudeCodesAscending = [0b000, 0b001, 0b110, 0b111, 0b100, 0b101, 0b010, 0b011];

    /// <summary>The 16 values in code order: codes 8–15 are the negatives of codes 0–7 (code 8 is −0).</summary>
    public static IReadOnlyList<float> Values { get; } = [.. s_magnitudes, .. s_magnitudes.Select(magnitude => -magnitude)];

    /// <summary>
    /// The code of every value in [-1, 1], as bitsandbytes' <c>dQuantizeFP4</c> picks it: the sign bit when the value is
    /// negative, and the magnitude code of the interval its absolute value falls in (a value on a threshold takes the lower).
    /// </summary>
    public static Tensor Codes(Tensor normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        using var scope = NewDisposeScope();
        var thresholds = tensor(s_magnitudeThresholds, device: normalized.device);
        var magnitudeCodes = tensor(s_magnitudeCodesAscending, device: normalized.device);
        var interval = bucketize(normalized.abs(), thresholds);
        var magnitude = magnitudeCodes.index_select(0, interval.flatten()).view_as(interval);
        using var signBit = SignBit.ToScalar();
        using var none = 0.ToScalar();
        var sign = where(normalized.lt(none), full_like(magnitude, signBit), zeros_like(magnitude));
        return magnitude.bitwise_or(sign).MoveToOuterDisposeScope();
    }
}
