namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>
/// <c>json-valid</c>: 1 when the whole answer is one JSON value under RFC 8259 (no comments, no trailing commas;
/// white space around it is allowed). Text around the JSON, such as a Markdown code fence, makes it invalid.
/// </summary>
public sealed class JsonValidMetric : IEvalMetric
{
    public string Name => MetricNames.JsonValid;

    public string Key => "json_valid";

    public MetricScore Score(string output, string expected, string source)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!StrictJson.TryParse(output, out var document))
        {
            return MetricScore.Of(false);
        }

        document.Dispose();
        return MetricScore.Of(true);
    }
}
