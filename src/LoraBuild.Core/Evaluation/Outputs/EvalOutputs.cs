using LoraBuild.Core.Evaluation.Metrics;

namespace LoraBuild.Core.Evaluation.Outputs;

/// <summary>
/// What the base model and the adapted model answered on every held-out prompt, and how each answer scored: the
/// content of <c>eval_outputs.json</c>, written next to the adapter and checked by snapshot tests.
/// </summary>
/// <param name="Metrics">The metric names used, in the order the suites list them (first appearance wins).</param>
/// <param name="Before">Aggregate scores of the base model: the mean of each key over the samples that have it.</param>
/// <param name="After">Aggregate scores of the adapted model.</param>
/// <param name="Samples">Every sample, in dataset order.</param>
public sealed record EvalOutputs(
    IReadOnlyList<string> Metrics,
    IReadOnlyDictionary<string, double> Before,
    IReadOnlyDictionary<string, double> After,
    IReadOnlyList<EvalOutputSample> Samples)
{
    /// <summary>The file's name in an adapter folder.</summary>
    public const string FileName = "eval_outputs.json";

    /// <summary>The samples' aggregates computed with <see cref="MetricSuite.Aggregate"/> and the metric names of <paramref name="suites"/>.</summary>
    public static EvalOutputs Create(IEnumerable<MetricSuite> suites, IReadOnlyList<EvalOutputSample> samples)
    {
        ArgumentNullException.ThrowIfNull(suites);
        ArgumentNullException.ThrowIfNull(samples);
        var names = suites.SelectMany(s => s.Metrics).Select(m => m.Name).Distinct(StringComparer.Ordinal).ToList();
        return new EvalOutputs(
            names,
            MetricSuite.Aggregate(samples.Select(s => s.Before.Scores)),
            MetricSuite.Aggregate(samples.Select(s => s.After.Scores)),
            samples);
    }
}

/// <summary>One held-out prompt with the reference and both models' answers.</summary>
/// <param name="Index">The sample's 0-based position in dataset order.</param>
/// <param name="Source">The record's file, relative to the project, and line, e.g. <c>data/eval.jsonl:4</c>.</param>
/// <param name="Prompt">The rendered prompt the models continued.</param>
/// <param name="Expected">The reference answer.</param>
/// <param name="Before">The base model's answer and scores.</param>
/// <param name="After">The adapted model's answer and scores.</param>
public sealed record EvalOutputSample(int Index, string Source, string Prompt, string Expected, EvalAnswer Before, EvalAnswer After);

/// <summary>A model's answer to one prompt and its score under each metric key (see <see cref="MetricSuite.Score"/>).</summary>
public sealed record EvalAnswer(string Output, IReadOnlyDictionary<string, double> Scores);
