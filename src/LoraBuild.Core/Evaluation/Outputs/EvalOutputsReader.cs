using System.Globalization;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Evaluation.Outputs;

/// <summary>Turns a parsed <c>eval_outputs.json</c> into <see cref="EvalOutputs"/>, naming the first field that is missing or of the wrong kind.</summary>
internal sealed class EvalOutputsReader(string location)
{
    public EvalOutputs Read(JsonElement root)
    {
        Expect(root, JsonValueKind.Object, "the file");
        var version = Property(root, "version", JsonValueKind.Number, "");
        if (!version.TryGetInt32(out var number) || number != EvalOutputsJson.Version)
        {
            throw Error($"has layout version {version.GetRawText()}; this LoraBuild reads version {EvalOutputsJson.Version}. Run the evaluation again to rewrite it.");
        }

        var metrics = Property(root, "metrics", JsonValueKind.Array, "")
            .EnumerateArray()
            .Select((m, i) => String(m, $"metrics[{i}]"))
            .ToList();
        var aggregates = Property(root, "aggregates", JsonValueKind.Object, "");
        var samples = Property(root, "samples", JsonValueKind.Array, "")
            .EnumerateArray()
            .Select((s, i) => Sample(s, $"samples[{i}]"))
            .ToList();
        return new EvalOutputs(metrics, Scores(aggregates, "before", "aggregates."), Scores(aggregates, "after", "aggregates."), samples);
    }

    private EvalOutputSample Sample(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.Object, path);
        var prefix = path + ".";
        var index = Property(element, "index", JsonValueKind.Number, prefix);
        if (!index.TryGetInt32(out var value) || value < 0)
        {
            throw Error($"{prefix}index is {index.GetRawText()}, not a sample position.");
        }

        return new EvalOutputSample(
            value,
            String(Property(element, "source", JsonValueKind.String, prefix), prefix + "source"),
            String(Property(element, "prompt", JsonValueKind.String, prefix), prefix + "prompt"),
            String(Property(element, "expected", JsonValueKind.String, prefix), prefix + "expected"),
            Answer(element, "before", prefix),
            Answer(element, "after", prefix));
    }

    private EvalAnswer Answer(JsonElement sample, string name, string prefix)
    {
        var answer = Property(sample, name, JsonValueKind.Object, prefix);
        var path = $"{prefix}{name}.";
        return new EvalAnswer(String(Property(answer, "output", JsonValueKind.String, path), path + "output"), Scores(answer, "scores", path));
    }

    private SortedDictionary<string, double> Scores(JsonElement parent, string name, string prefix)
    {
        var scores = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var score in Property(parent, name, JsonValueKind.Object, prefix).EnumerateObject())
        {
            Expect(score.Value, JsonValueKind.Number, $"{prefix}{name}.{score.Name}");
            scores[score.Name] = double.Parse(score.Value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return scores;
    }

    private JsonElement Property(JsonElement parent, string name, JsonValueKind kind, string prefix)
    {
        if (!parent.TryGetProperty(name, out var value))
        {
            throw Error($"has no '{prefix}{name}'.");
        }

        Expect(value, kind, prefix + name);
        return value;
    }

    private string String(JsonElement element, string path)
    {
        Expect(element, JsonValueKind.String, path);
        return element.GetString()!;
    }

    private void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw Error($"{path} is {element.ValueKind.ToString().ToLowerInvariant()}, expected {kind.ToString().ToLowerInvariant()}.");
        }
    }

    private LoraException Error(string detail) =>
        new(EvalErrorCodes.OutputsUnreadable, $"The evaluation outputs file is not in the expected layout: {detail}", location);
}
