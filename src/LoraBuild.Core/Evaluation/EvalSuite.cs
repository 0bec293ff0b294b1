using LoraBuild.Core.Evaluation.Metrics;

namespace LoraBuild.Core.Evaluation;

/// <summary>Held-out prompts from one evaluation dataset and the metrics its answers are scored with.</summary>
/// <param name="Metrics">The suite's metrics, from <c>LoraEval Metric</c> or the dataset's <c>metric</c>.</param>
/// <param name="Cases">The prompts, in dataset order.</param>
public sealed record EvalSuite(MetricSuite Metrics, IReadOnlyList<GenerationCase> Cases);
