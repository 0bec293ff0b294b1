using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Comparison;

/// <summary>
/// Writes <c>seeds.json</c> canonically: a fixed key order (metric keys in ordinal order), numbers through
/// <see cref="EvalJsonNumber"/>, two-space indents, LF line ends, UTF-8 without a byte order mark, no timings and no
/// paths, so the same runs always give the same bytes.
/// </summary>
/// <remarks>
/// Layout: <c>{"version": 1, "adapter", "standardDeviation": "sample (n - 1)", "runs": [{"seed", "fingerprint",
/// "train": {name: value}, "eval": {"before": {…}, "after": {…}}}], "metrics": {key: {"n", "mean", "std", "min", "max"}}}</c>;
/// <c>std</c> is null when only one run has the metric.
/// </remarks>
public static class SeedSummaryJson
{
    /// <summary>The layout version this code writes.</summary>
    public const int Version = 1;

    private static readonly JsonWriterOptions s_options = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(SeedSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteString("adapter", summary.Adapter);
            writer.WriteString("standardDeviation", "sample (n - 1)");
            writer.WriteStartArray("runs");
            foreach (var run in summary.Runs)
            {
                writer.WriteStartObject();
                writer.WriteNumber("seed", run.Seed);
                writer.WriteString("fingerprint", run.Fingerprint);
                WriteValues(writer, "train", run.Train);
                writer.WriteStartObject("eval");
                WriteValues(writer, "before", run.EvalBefore);
                WriteValues(writer, "after", run.EvalAfter);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartObject("metrics");
            foreach (var (key, statistics) in summary.Metrics.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(key);
                writer.WriteNumber("n", statistics.Count);
                WriteNumber(writer, "mean", statistics.Mean);
                if (statistics.StandardDeviation is { } deviation)
                {
                    WriteNumber(writer, "std", deviation);
                }
                else
                {
                    writer.WriteNull("std");
                }

                WriteNumber(writer, "min", statistics.Minimum);
                WriteNumber(writer, "max", statistics.Maximum);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes the file atomically, and only when its bytes change, so an unchanged study keeps its timestamp.</summary>
    /// <returns>Whether the file was written.</returns>
    public static bool WriteFile(SeedSummary summary, string path)
    {
        var content = Serialize(summary);
        if (File.Exists(path) && File.ReadAllText(path) == content)
        {
            return false;
        }

        AtomicFile.WriteAllText(path, content);
        return true;
    }

    private static void WriteValues(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, double> values)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            WriteNumber(writer, key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        writer.WriteRawValue(EvalJsonNumber.Format(value), skipInputValidation: true);
    }
}
