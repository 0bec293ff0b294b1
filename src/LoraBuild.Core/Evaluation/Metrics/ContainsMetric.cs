namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>
/// <c>contains</c>: 1 when the answer contains the reference (surrounding white space of the reference ignored),
/// compared ordinally and case-sensitively, as <c>exact-match</c> compares.
/// </summary>
public sealed class ContainsMetric : IEvalMetric
{
    public string Name => MetricNames.Contains;

    public string Key => "contains";

    public MetricScore Score(string output, string expected, string source)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(expected);
        return MetricScore.Of(output.Contains(expected.Trim(), StringComparison.Ordinal));
    }
}
