using System.Globalization;

namespace LoraBuild.Core.Comparison;

/// <summary>
/// Mean, sample standard deviation, minimum and maximum of one metric over several runs. The standard deviation is
/// the sample one, dividing by n − 1 (Bessel's correction), because the runs are a sample of the seeds one could
/// have picked; it is undefined (null) for a single value.
/// </summary>
public sealed record SampleStatistics(int Count, double Mean, double? StandardDeviation, double Minimum, double Maximum)
{
    /// <summary>The statistics of <paramref name="values"/>, which must hold at least one finite number.</summary>
    public static SampleStatistics Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("At least one value is needed.", nameof(values));
        }

        if (values.Any(v => !double.IsFinite(v)))
        {
            throw new ArgumentException("Every value must be finite.", nameof(values));
        }

        // Two passes: summing squared deviations from the mean avoids the cancellation of Σx² − n·mean².
        var mean = values.Sum() / values.Count;
        double? deviation = null;
        if (values.Count > 1)
        {
            var squares = values.Sum(v => (v - mean) * (v - mean));
            deviation = Math.Sqrt(squares / (values.Count - 1));
        }

        return new SampleStatistics(values.Count, mean, deviation, values.Min(), values.Max());
    }

    /// <summary>The mean ± standard deviation, then the range: <c>0.8333 ± 0.0577  (0.75 … 0.875)</c>, four decimals at most.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Mean:0.####} ± {(StandardDeviation is { } s ? s.ToString("0.####", CultureInfo.InvariantCulture) : "n/a")}  ({Minimum:0.####} … {Maximum:0.####})");
}
