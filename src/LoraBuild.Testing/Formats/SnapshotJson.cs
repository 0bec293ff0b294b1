using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Testing.Formats;

/// <summary>
/// The canonical JSON of LoraBuild's own snapshot files, written like <c>eval_outputs.json</c> (two-space indents, LF,
/// final newline, non-ASCII unescaped, one text per number), and the checked reading of it.
/// </summary>
internal static class SnapshotJson
{
    public const int Version = 1;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static byte[] Write(Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writeProperties(writer);
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    public static void WriteNumbers(Utf8JsonWriter writer, string name, IEnumerable<KeyValuePair<string, double>> numbers)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in numbers.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(key);
            writer.WriteRawValue(EvalJsonNumber.Format(value), skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    /// <summary>Parses <paramref name="path"/> and hands its checked root object to <paramref name="read"/>.</summary>
    public static T Read<T>(string path, Func<Reader, JsonElement, T> read)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(SnapshotErrorCodes.FileUnreadable, $"The snapshot cannot be read: {e.Message}", path, e);
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var reader = new Reader(path);
            var root = reader.Expect(document.RootElement, JsonValueKind.Object, "the file");
            var version = reader.Property(root, "version", JsonValueKind.Number, "");
            if (!version.TryGetInt32(out var number) || number != Version)
            {
                throw reader.Error($"has layout version {version.GetRawText()}; this LoraBuild.Testing reads version {Version}. Accept the received snapshot to rewrite it.");
            }

            return read(reader, root);
        }
        catch (JsonException e)
        {
            throw new LoraException(SnapshotErrorCodes.FileUnreadable, $"The snapshot is not valid JSON: {e.Message}", path, e);
        }
    }

    /// <summary>Typed access to a snapshot file's fields that names the first missing or mistyped one.</summary>
    internal sealed class Reader(string location)
    {
        public JsonElement Property(JsonElement parent, string name, JsonValueKind kind, string prefix) =>
            parent.TryGetProperty(name, out var value)
                ? Expect(value, kind, prefix + name)
                : throw Error($"has no '{prefix}{name}'.");

        public string? OptionalString(JsonElement parent, string name, string prefix) =>
            parent.TryGetProperty(name, out var value) ? Expect(value, JsonValueKind.String, prefix + name).GetString() : null;

        public string String(JsonElement parent, string name, string prefix) =>
            Property(parent, name, JsonValueKind.String, prefix).GetString()!;

        public SortedDictionary<string, double> Numbers(JsonElement element, string path)
        {
            var numbers = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var property in Expect(element, JsonValueKind.Object, path).EnumerateObject())
            {
                Expect(property.Value, JsonValueKind.Number, $"{path}.{property.Name}");
                numbers[property.Name] = double.Parse(property.Value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture);
            }

            return numbers;
        }

        public JsonElement Expect(JsonElement element, JsonValueKind kind, string path) =>
            element.ValueKind == kind
                ? element
                : throw Error($"{path} is {element.ValueKind.ToString().ToLowerInvariant()}, expected {kind.ToString().ToLowerInvariant()}.");

        public LoraException Error(string detail) =>
            new(SnapshotErrorCodes.FileUnreadable, $"The snapshot is not in the expected layout: {detail}", location);
    }
}
