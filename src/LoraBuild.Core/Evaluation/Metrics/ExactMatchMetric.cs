namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary><c>exact-match</c>: 1 when the answer equals the reference apart from surrounding white space (<see cref="ExactMatch"/>).</summary>
public sealed class ExactMatchMetric : IEvalMetric
{
    public string Name => MetricNames.ExactMatch;

    public string Key => "exact_match";

    public MetricScore Score(string output, string expected, string source) => MetricScore.Of(ExactMatch.Matches(output, expected));
}
