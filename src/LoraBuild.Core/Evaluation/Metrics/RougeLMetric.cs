namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary><c>rouge-l</c>: the ROUGE-L F-measure of the answer against the reference, with β = 1 (<see cref="RougeL"/>).</summary>
public sealed class RougeLMetric : IEvalMetric
{
    /// <summary>β of the F-measure: 1 weighs precision and recall equally.</summary>
    public const double Beta = 1;

    public string Name => MetricNames.RougeL;

    public string Key => "rouge_l";

    public MetricScore Score(string output, string expected, string source) => new(RougeL.Score(output, expected, Beta).F);
}
