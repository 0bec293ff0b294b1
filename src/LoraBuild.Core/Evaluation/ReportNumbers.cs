using System.Globalization;

namespace LoraBuild.Core.Evaluation;

/// <summary>
/// Numbers as a report shows them to a reader: whole numbers in full with thousands separators (<c>13,902,784</c>), byte
/// counts also in MiB or GiB, other values with six significant digits (<c>0.146407</c>), and never a .NET exponent
/// such as <c>1.39028E+07</c> for a value a person counts in ordinary digits.
/// </summary>
public static class ReportNumbers
{
    private const double LargestExactWhole = 1e15;

    /// <param name="value">The value.</param>
    /// <param name="name">The metric's name; one ending in <c>_bytes</c> gets its size in MiB or GiB added.</param>
    public static string Format(double value, string? name = null)
    {
        var text = Plain(value);
        if (name is not null && name.EndsWith("_bytes", StringComparison.Ordinal) && Math.Abs(value) >= 1 << 20)
        {
            text += $" ({Size(value)})";
        }

        return text;
    }

    /// <summary>A change between two values, signed (<c>+0.86</c>, <c>-1.85</c>), with four significant digits.</summary>
    public static string Change(double change)
    {
        var text = Math.Abs(change) >= 1e4 && IsWhole(change)
            ? change.ToString("#,0", CultureInfo.InvariantCulture)
            : Significant(change, 4);
        return change > 0 ? "+" + text : text;
    }

    private static string Plain(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            return value.ToString(CultureInfo.InvariantCulture);
        }

        if (IsWhole(value))
        {
            return value.ToString("#,0", CultureInfo.InvariantCulture);
        }

        return Math.Abs(value) >= 1e5 ? value.ToString("#,0.##", CultureInfo.InvariantCulture) : Significant(value, 6);
    }

    /// <summary>Rounded to <paramref name="digits"/> significant digits, in fixed notation down to 1e-4 and in lower-case scientific notation below.</summary>
    private static string Significant(double value, int digits)
    {
        if (value != 0 && Math.Abs(value) < 1e-4)
        {
            return value.ToString($"0.{new string('#', digits - 1)}e+0", CultureInfo.InvariantCulture);
        }

        var rounded = double.Parse(value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded.ToString("#,0.##########", CultureInfo.InvariantCulture);
    }

    private static bool IsWhole(double value) => Math.Abs(value) < LargestExactWhole && value == Math.Round(value);

    private static string Size(double bytes) => Math.Abs(bytes) >= 1L << 30
        ? (bytes / (1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (1 << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
