namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>A generation metric: scores one generated answer against its reference with a value in [0, 1].</summary>
public interface IEvalMetric
{
    /// <summary>The name users write in <c>LoraEval Metric="…"</c> or a spec's <c>metric</c>, e.g. <c>rouge-l</c>.</summary>
    string Name { get; }

    /// <summary>The snake_case key the score is recorded under in manifests and outputs files, e.g. <c>rouge_l</c>.</summary>
    string Key { get; }

    /// <summary>Scores <paramref name="output"/> against <paramref name="expected"/>.</summary>
    /// <param name="output">What the model generated.</param>
    /// <param name="expected">The reference answer.</param>
    /// <param name="source">Where the sample came from (file:line), named by any error about it.</param>
    MetricScore Score(string output, string expected, string source);
}
