using LoraBuild.Core.Evaluation.Metrics;

namespace LoraBuild.Engine.Evaluation;

/// <summary>One model's greedy answer to a held-out prompt and its scores.</summary>
/// <param name="Source">The record's file and line.</param>
/// <param name="Prompt">The rendered prompt.</param>
/// <param name="Expected">The reference answer.</param>
/// <param name="Output">The decoded answer.</param>
/// <param name="ExactMatch">Whether the answer is an exact match, whichever metrics the suite names.</param>
/// <param name="Scores">Every metric key of the sample's suite, with part keys (see <see cref="MetricSuite.Score"/>).</param>
public sealed record GenerationSample(
    string Source,
    string Prompt,
    string Expected,
    string Output,
    bool ExactMatch,
    IReadOnlyDictionary<string, double> Scores);

/// <summary>Every sample in suite and dataset order, and the suites that scored them.</summary>
public sealed record GenerationReport(IReadOnlyList<GenerationSample> Samples, IReadOnlyList<MetricSuite> Suites)
{
    public GenerationReport(IReadOnlyList<GenerationSample> samples)
        : this(samples, [MetricSuite.Default])
    {
    }

    /// <summary>The share of exact matches over all samples (<c>metrics.eval.*.exact_match</c>).</summary>
    public double ExactMatchRate => Samples.Count == 0 ? 0 : Samples.Count(s => s.ExactMatch) / (double)Samples.Count;

    /// <summary>The mean of each score key over the samples that have it, as <c>metrics.eval.*</c> records them.</summary>
    public IReadOnlyDictionary<string, double> Aggregates => MetricSuite.Aggregate(Samples.Select(s => s.Scores));
}
