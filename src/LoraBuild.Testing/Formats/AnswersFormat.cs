using System.Text.Json;
using LoraBuild.Testing.Comparison;

namespace LoraBuild.Testing.Formats;

/// <summary>
/// A list of answers as a snapshot: <c>{"version": 1, "answers": [{"index", "source", "input", "reference"?, "answer",
/// "scores"?}]}</c>, entries in the given order and matched by index.
/// </summary>
internal sealed class AnswersFormat : ISnapshotFormat<IReadOnlyList<SnapshotAnswer>>
{
    public static AnswersFormat Instance { get; } = new();

    public IReadOnlyList<SnapshotAnswer> Scrub(IReadOnlyList<SnapshotAnswer> value, SnapshotOptions options) =>
        [.. value.Select(a => new SnapshotAnswer(options.ScrubText(a.Source), options.ScrubText(a.Input), options.ScrubText(a.Answer))
        {
            Reference = a.Reference is null ? null : options.ScrubText(a.Reference),
            Scores = a.Scores?.Where(pair => !options.Ignores(pair.Key)).ToDictionary(StringComparer.Ordinal),
        })];

    public byte[] Serialize(IReadOnlyList<SnapshotAnswer> value) => SnapshotJson.Write(writer =>
    {
        writer.WriteStartArray("answers");
        for (var i = 0; i < value.Count; i++)
        {
            var answer = value[i];
            writer.WriteStartObject();
            writer.WriteNumber("index", i);
            writer.WriteString("source", answer.Source);
            writer.WriteString("input", answer.Input);
            if (answer.Reference is not null)
            {
                writer.WriteString("reference", answer.Reference);
            }

            writer.WriteString("answer", answer.Answer);
            if (answer.Scores is not null)
            {
                SnapshotJson.WriteNumbers(writer, "scores", answer.Scores);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public IReadOnlyList<SnapshotAnswer> Read(string path) => SnapshotJson.Read(path, (reader, root) =>
    {
        var answers = new List<SnapshotAnswer>();
        foreach (var element in reader.Property(root, "answers", JsonValueKind.Array, "").EnumerateArray())
        {
            var prefix = $"answers[{answers.Count}].";
            reader.Expect(element, JsonValueKind.Object, $"answers[{answers.Count}]");
            var index = reader.Property(element, "index", JsonValueKind.Number, prefix);
            if (!index.TryGetInt32(out var position) || position != answers.Count)
            {
                throw reader.Error($"{prefix}index is {index.GetRawText()}; answers are numbered 0, 1, 2 … in file order.");
            }

            answers.Add(new SnapshotAnswer(reader.String(element, "source", prefix), reader.String(element, "input", prefix), reader.String(element, "answer", prefix))
            {
                Reference = reader.OptionalString(element, "reference", prefix),
                Scores = element.TryGetProperty("scores", out var scores) ? reader.Numbers(scores, prefix + "scores") : null,
            });
        }

        return answers;
    });

    public IReadOnlyList<SnapshotRecord> Records(IReadOnlyList<SnapshotAnswer> value) =>
        [.. value.Select((a, i) => new SnapshotRecord(
            $"sample {i}",
            $"sample {i} ({a.Source})",
            [
                SnapshotField.OfText("source", a.Source),
                SnapshotField.OfText("input", a.Input),
                .. a.Reference is null ? Array.Empty<SnapshotField>() : [SnapshotField.OfText("reference", a.Reference)],
                SnapshotField.OfText("answer", a.Answer),
                .. (a.Scores ?? new Dictionary<string, double>())
                    .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                    .Select(pair => SnapshotField.OfNumber($"scores.{pair.Key}", pair.Key, pair.Value)),
            ]))];
}
