using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>The metrics one evaluation suite scores every sample with, in the order the user listed them.</summary>
public sealed class MetricSuite
{
    public MetricSuite(IReadOnlyList<IEvalMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Metrics = metrics;
    }

    /// <summary>The suite used when none is named: <c>exact-match</c> alone.</summary>
    public static MetricSuite Default { get; } = new([new ExactMatchMetric()]);

    public IReadOnlyList<IEvalMetric> Metrics { get; }

    /// <summary>
    /// The suite for a <c>;</c>-separated list such as <c>exact-match;rouge-l</c>. Empty entries are skipped; an
    /// empty or missing list means <see cref="Default"/>.
    /// </summary>
    /// <param name="metricList">The <c>Metric</c> metadata or spec <c>metric</c> value.</param>
    /// <param name="pattern">The suite's pattern for <c>regex</c>, or null to use each expected answer as its pattern.</param>
    /// <param name="location">The item or setting the list came from, named by any error.</param>
    public static MetricSuite Parse(string? metricList, string? pattern, string location)
    {
        var names = (metricList ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0)
        {
            return Default;
        }

        var metrics = new List<IEvalMetric>(names.Length);
        foreach (var name in names)
        {
            var metric = MetricRegistry.Create(name, pattern, location);
            if (metrics.Any(m => m.Name == metric.Name))
            {
                throw new LoraException(EvalErrorCodes.DuplicateMetric, $"The metric '{metric.Name}' is listed twice in '{metricList}'.", location);
            }

            metrics.Add(metric);
        }

        return new MetricSuite(metrics);
    }

    /// <summary>The names, joined the way users write them.</summary>
    public override string ToString() => string.Join(';', Metrics.Select(m => m.Name));

    /// <summary>
    /// Every metric's score of one sample by key (<c>rouge_l</c>), plus each part score as <c>key.part</c>
    /// (<c>json_fields.priority</c>), keys in ordinal order.
    /// </summary>
    public SortedDictionary<string, double> Score(string output, string expected, string source)
    {
        var scores = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in Metrics)
        {
            var score = metric.Score(output, expected, source);
            scores[metric.Key] = score.Value;
            foreach (var (part, value) in score.Parts)
            {
                scores[$"{metric.Key}.{part}"] = value;
            }
        }

        return scores;
    }

    /// <summary>
    /// The mean of each key over the samples that have it, summed in sample order so the result is the same on
    /// every run. Samples of suites with different metrics can be aggregated together.
    /// </summary>
    public static SortedDictionary<string, double> Aggregate(IEnumerable<IReadOnlyDictionary<string, double>> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var sums = new SortedDictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            foreach (var (key, value) in sample)
            {
                var (sum, count) = sums.GetValueOrDefault(key);
                sums[key] = (sum + value, count + 1);
            }
        }

        var means = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, (sum, count)) in sums)
        {
            means[key] = sum / count;
        }

        return means;
    }
}
