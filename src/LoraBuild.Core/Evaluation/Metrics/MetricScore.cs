namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>One sample's score under one metric, with optional named sub-scores (such as one per JSON field).</summary>
/// <param name="Value">The score, in [0, 1].</param>
/// <param name="Parts">Sub-scores in [0, 1] by name; recorded as <c>key.name</c>.</param>
public sealed record MetricScore(double Value, IReadOnlyDictionary<string, double> Parts)
{
    private static readonly IReadOnlyDictionary<string, double> s_none = new Dictionary<string, double>();

    public MetricScore(double value)
        : this(value, s_none)
    {
    }

    /// <summary>1 for a pass, 0 for a fail.</summary>
    public static MetricScore Of(bool passed) => new(passed ? 1 : 0);
}
