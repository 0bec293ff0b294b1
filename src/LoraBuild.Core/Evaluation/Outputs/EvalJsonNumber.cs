using System.Globalization;

namespace LoraBuild.Core.Evaluation.Outputs;

/// <summary>
/// One text for each number, so equal scores are equal bytes: integers without a fraction, other values in the
/// shortest form that reads back to the same double, exponents as <c>e-5</c> (no plus sign, no leading zeros).
/// </summary>
public static class EvalJsonNumber
{
    private const double LargestExactInteger = 9007199254740992; // 2^53

    public static string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "JSON has no NaN or infinity.");
        }

        if (value == Math.Floor(value) && Math.Abs(value) < LargestExactInteger)
        {
            // Also turns -0 into 0.
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOf('E', StringComparison.Ordinal);
        if (e < 0)
        {
            return text;
        }

        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{text.AsSpan(0, e)}e{exponent}");
    }
}
