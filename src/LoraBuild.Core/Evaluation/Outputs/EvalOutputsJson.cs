using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Evaluation.Outputs;

/// <summary>
/// Reads and writes <c>eval_outputs.json</c>. Equal content gives equal bytes: a fixed key order (the order below,
/// score keys in ordinal order), numbers through <see cref="EvalJsonNumber"/>, two-space indents, LF line ends, UTF-8
/// without a byte order mark, no timings and no absolute paths.
/// </summary>
/// <remarks>
/// Layout: <c>{"version": 1, "metrics": [names], "aggregates": {"before": {key: mean}, "after": {…}},
/// "samples": [{"index", "source", "prompt", "expected", "before": {"output", "scores": {key: score}}, "after": {…}}]}</c>.
/// </remarks>
public static class EvalOutputsJson
{
    /// <summary>The layout version this code writes and reads.</summary>
    public const int Version = 1;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(EvalOutputs outputs) => Encoding.UTF8.GetString(SerializeToUtf8Bytes(outputs));

    public static byte[] SerializeToUtf8Bytes(EvalOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteStartArray("metrics");
            foreach (var name in outputs.Metrics)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteStartObject("aggregates");
            WriteScores(writer, "before", outputs.Before);
            WriteScores(writer, "after", outputs.After);
            writer.WriteEndObject();
            writer.WriteStartArray("samples");
            foreach (var sample in outputs.Samples)
            {
                WriteSample(writer, sample);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes <paramref name="outputs"/> to <paramref name="path"/> through a temporary file, so readers never see half a file.</summary>
    public static void WriteFile(EvalOutputs outputs, string path) => AtomicFile.WriteAllBytes(path, SerializeToUtf8Bytes(outputs));

    public static EvalOutputs ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(EvalErrorCodes.OutputsUnreadable, $"The evaluation outputs cannot be read: {e.Message}", path, e);
        }

        return Deserialize(text, path);
    }

    /// <param name="json">The file's text.</param>
    /// <param name="location">The file, named by errors.</param>
    public static EvalOutputs Deserialize(string json, string location)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            return new EvalOutputsReader(location).Read(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new LoraException(EvalErrorCodes.OutputsUnreadable, $"The evaluation outputs are not valid JSON: {e.Message}", location, e);
        }
    }

    private static void WriteSample(Utf8JsonWriter writer, EvalOutputSample sample)
    {
        if (EvalSource.IsAbsolute(sample.Source))
        {
            throw new ArgumentException(
                $"Sample {sample.Index} has the absolute source '{sample.Source}'; make it relative with {nameof(EvalSource)}.{nameof(EvalSource.Relative)}.",
                nameof(sample));
        }

        writer.WriteStartObject();
        writer.WriteNumber("index", sample.Index);
        writer.WriteString("source", sample.Source);
        writer.WriteString("prompt", sample.Prompt);
        writer.WriteString("expected", sample.Expected);
        WriteAnswer(writer, "before", sample.Before);
        WriteAnswer(writer, "after", sample.After);
        writer.WriteEndObject();
    }

    private static void WriteAnswer(Utf8JsonWriter writer, string name, EvalAnswer answer)
    {
        writer.WriteStartObject(name);
        writer.WriteString("output", answer.Output);
        WriteScores(writer, "scores", answer.Scores);
        writer.WriteEndObject();
    }

    private static void WriteScores(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> scores)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in scores.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(key);
            writer.WriteRawValue(EvalJsonNumber.Format(value), skipInputValidation: true);
        }

        writer.WriteEndObject();
    }
}
