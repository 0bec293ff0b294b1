using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>Creates metrics from the names users write; names are matched ignoring case.</summary>
public static class MetricRegistry
{
    /// <summary>The metric called <paramref name="name"/>.</summary>
    /// <param name="name">One of <see cref="MetricNames.All"/>.</param>
    /// <param name="pattern">The suite's pattern for <c>regex</c>; ignored by the other metrics.</param>
    /// <param name="location">The item or setting the name came from, named by any error.</param>
    public static IEvalMetric Create(string name, string? pattern, string location)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            MetricNames.ExactMatch => new ExactMatchMetric(),
            MetricNames.Contains => new ContainsMetric(),
            MetricNames.Regex => new RegexMetric(pattern, location),
            MetricNames.JsonValid => new JsonValidMetric(),
            MetricNames.JsonFields => new JsonFieldsMetric(),
            MetricNames.RougeL => new RougeLMetric(),
            _ => throw new LoraException(
                EvalErrorCodes.UnknownMetric,
                $"Unknown metric '{name.Trim()}'; use one or more of {string.Join(", ", MetricNames.All)}, separated by ';'.",
                location),
        };
    }
}
