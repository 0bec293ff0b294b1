using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>
/// <c>json-fields</c>: the reference is a JSON object; the answer scores 1 when it is a JSON object in which every
/// field of the reference is present with an equal value (objects compared regardless of key order, numbers by
/// value). Extra fields in the answer are allowed. Each reference field also gets its own 1/0 part score, so a
/// report can say which fields the model gets right.
/// </summary>
public sealed class JsonFieldsMetric : IEvalMetric
{
    public string Name => MetricNames.JsonFields;

    public string Key => "json_fields";

    public MetricScore Score(string output, string expected, string source)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(expected);
        if (!StrictJson.TryParse(expected, out var reference) || reference.RootElement.ValueKind != JsonValueKind.Object)
        {
            reference?.Dispose();
            throw new LoraException(
                EvalErrorCodes.ExpectedNotJsonObject,
                "The json-fields metric needs the expected answer to be a JSON object, such as {\"priority\": \"high\"}.",
                source);
        }

        using (reference)
        {
            var answer = StrictJson.TryParse(output, out var parsed) ? parsed : null;
            using (answer)
            {
                var actual = answer?.RootElement.ValueKind == JsonValueKind.Object ? answer.RootElement : (JsonElement?)null;
                var parts = new SortedDictionary<string, double>(StringComparer.Ordinal);
                foreach (var field in reference.RootElement.EnumerateObject())
                {
                    var equal = actual is { } obj && obj.TryGetProperty(field.Name, out var value) && JsonElement.DeepEquals(field.Value, value);
                    parts[field.Name] = equal ? 1 : 0;
                }

                var all = actual is not null && parts.Values.All(p => p == 1);
                return new MetricScore(all ? 1 : 0, parts);
            }
        }
    }
}
