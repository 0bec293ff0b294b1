namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>The metric names users write in <c>LoraEval Metric="…"</c> and a spec's <c>metric</c>.</summary>
public static class MetricNames
{
    public const string ExactMatch = "exact-match";
    public const string Contains = "contains";
    public const string Regex = "regex";
    public const string JsonValid = "json-valid";
    public const string JsonFields = "json-fields";
    public const string RougeL = "rouge-l";

    /// <summary>Every name, in the order documentation lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [ExactMatch, Contains, Regex, JsonValid, JsonFields, RougeL];

    /// <summary>The metric a suite uses when it names none.</summary>
    public const string Default = ExactMatch;
}
