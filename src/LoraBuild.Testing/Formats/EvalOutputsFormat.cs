using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Testing.Comparison;

namespace LoraBuild.Testing.Formats;

/// <summary><c>eval_outputs.json</c> as a snapshot: the file's own canonical layout, so an adapter's outputs file can be committed as is.</summary>
internal sealed class EvalOutputsFormat : ISnapshotFormat<EvalOutputs>
{
    public static EvalOutputsFormat Instance { get; } = new();

    public EvalOutputs Scrub(EvalOutputs value, SnapshotOptions options) =>
        new(
            value.Metrics,
            Keep(value.Before, options),
            Keep(value.After, options),
            [.. value.Samples.Select(s => new EvalOutputSample(
                s.Index,
                options.ScrubText(s.Source),
                options.ScrubText(s.Prompt),
                options.ScrubText(s.Expected),
                Scrub(s.Before, options),
                Scrub(s.After, options)))]);

    public byte[] Serialize(EvalOutputs value) => EvalOutputsJson.SerializeToUtf8Bytes(value);

    public EvalOutputs Read(string path) => EvalOutputsJson.ReadFile(path);

    public IReadOnlyList<SnapshotRecord> Records(EvalOutputs value)
    {
        var records = new List<SnapshotRecord>
        {
            new("metrics", "metrics", [SnapshotField.OfText("names", string.Join(";", value.Metrics))]),
        };
        records.AddRange(value.Samples.Select(s => new SnapshotRecord(
            $"sample {s.Index}",
            $"sample {s.Index} ({s.Source})",
            [
                SnapshotField.OfText("source", s.Source),
                SnapshotField.OfText("prompt", s.Prompt),
                SnapshotField.OfText("expected", s.Expected),
                .. Fields("before", s.Before),
                .. Fields("after", s.After),
            ])));

        // Last, so a failure lists the samples that moved an aggregate before the aggregate itself.
        records.Add(new("aggregates", "aggregates",
        [
            .. value.Before.Select(pair => SnapshotField.OfNumber($"before.{pair.Key}", pair.Key, pair.Value)),
            .. value.After.Select(pair => SnapshotField.OfNumber($"after.{pair.Key}", pair.Key, pair.Value)),
        ]));
        return records;
    }

    private static IEnumerable<SnapshotField> Fields(string side, EvalAnswer answer) =>
        answer.Scores
            .Select(pair => SnapshotField.OfNumber($"{side}.scores.{pair.Key}", pair.Key, pair.Value))
            .Prepend(SnapshotField.OfText($"{side}.output", answer.Output));

    private static EvalAnswer Scrub(EvalAnswer answer, SnapshotOptions options) =>
        new(options.ScrubText(answer.Output), Keep(answer.Scores, options));

    private static SortedDictionary<string, double> Keep(IReadOnlyDictionary<string, double> scores, SnapshotOptions options) =>
        new(scores.Where(pair => !options.Ignores(pair.Key)).ToDictionary(), StringComparer.Ordinal);
}
