using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.IO;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Reports;

/// <summary>
/// Reads and writes <c>training_history.json</c> as canonical JSON: keys in ordinal order at every level
/// (<see cref="CanonicalJson"/>), numbers in one text each (<see cref="EvalJsonNumber"/>), two-space indents, LF line
/// ends and a final newline.
/// </summary>
/// <remarks>
/// Layout: <c>{"eval": [{"loss", "step"}], "steps": [{"epoch", "gradient_norm", "learning_rate", "loss", "step",
/// "target_tokens", "tokens"}], "total_steps", "version": 1}</c>.
/// </remarks>
public static class TrainingHistoryJson
{
    /// <summary>The layout version this code writes and reads.</summary>
    public const int Version = 1;

    private static readonly JsonSerializerOptions s_writeOptions = new()
    {
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(TrainingHistoryFile history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var root = new JsonObject
        {
            ["version"] = Version,
            ["total_steps"] = history.TotalSteps,
            ["steps"] = new JsonArray([.. history.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["step"] = s.Step,
                ["epoch"] = s.Epoch,
                ["loss"] = Number(s.Loss),
                ["learning_rate"] = Number(s.LearningRate),
                ["gradient_norm"] = Number(s.GradientNorm),
                ["target_tokens"] = s.TargetTokens,
                ["tokens"] = s.Tokens,
            })]),
            ["eval"] = new JsonArray([.. history.Eval.Select(e => (JsonNode)new JsonObject
            {
                ["step"] = e.Step,
                ["loss"] = Number(e.Loss),
            })]),
        };
        return CanonicalJson.SortKeys(root)!.ToJsonString(s_writeOptions) + "\n";
    }

    /// <summary>Writes through a temporary file, so a reader never sees half a file.</summary>
    public static void WriteFile(TrainingHistoryFile history, string path) => AtomicFile.WriteAllText(path, Serialize(history));

    /// <exception cref="LoraException"><see cref="ReportErrorCodes.HistoryUnreadable"/>, naming the file and the first bad field.</exception>
    public static TrainingHistoryFile ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(ReportErrorCodes.HistoryUnreadable, $"The training history cannot be read: {e.Message}", path, e);
        }

        return Deserialize(text, path);
    }

    /// <param name="json">The file's text.</param>
    /// <param name="location">The file, named by errors.</param>
    public static TrainingHistoryFile Deserialize(string json, string location)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var version = Field(root, "version", JsonValueKind.Number, location).GetInt32();
            if (version != Version)
            {
                throw new LoraException(
                    ReportErrorCodes.HistoryUnreadable,
                    $"The training history has layout version {version}; this LoraBuild reads version {Version}. Retrain to rewrite it.",
                    location);
            }

            var steps = Field(root, "steps", JsonValueKind.Array, location).EnumerateArray().Select(s => new HistoryStep(
                Field(s, "step", JsonValueKind.Number, location).GetInt32(),
                Field(s, "epoch", JsonValueKind.Number, location).GetInt32(),
                Field(s, "loss", JsonValueKind.Number, location).GetDouble(),
                Field(s, "learning_rate", JsonValueKind.Number, location).GetDouble(),
                Field(s, "gradient_norm", JsonValueKind.Number, location).GetDouble(),
                Field(s, "target_tokens", JsonValueKind.Number, location).GetInt64(),
                Field(s, "tokens", JsonValueKind.Number, location).GetInt64())).ToList();
            var eval = Field(root, "eval", JsonValueKind.Array, location).EnumerateArray().Select(e => new EvalLossRecord(
                Field(e, "step", JsonValueKind.Number, location).GetInt32(),
                Field(e, "loss", JsonValueKind.Number, location).GetDouble())).ToList();
            return new TrainingHistoryFile(Field(root, "total_steps", JsonValueKind.Number, location).GetInt32(), steps, eval);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new LoraException(ReportErrorCodes.HistoryUnreadable, $"The training history is not valid: {e.Message}", location, e);
        }
    }

    private static JsonElement Field(JsonElement element, string name, JsonValueKind kind, string location)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind != kind)
        {
            throw new LoraException(
                ReportErrorCodes.HistoryUnreadable,
                $"The training history lacks the {kind.ToString().ToLowerInvariant()} field '{name}'. Retrain to rewrite it.",
                location);
        }

        return value;
    }

    /// <summary>The number as <see cref="EvalJsonNumber"/> writes it, so a double has one text on every run.</summary>
    private static JsonNode Number(double value) => JsonNode.Parse(EvalJsonNumber.Format(value))!;
}
