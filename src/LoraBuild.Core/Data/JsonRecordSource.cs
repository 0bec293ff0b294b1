using System.Text;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Data;

/// <summary>
/// Reads the JSON objects of a dataset file, one per JSON Lines line or one per element of a top-level JSON array,
/// and hands each to a parser together with its <c>path:line</c>. Records are parsed in file order, so the first
/// error reported is the earliest one in the file.
/// </summary>
internal static class JsonRecordSource
{
    private static readonly JsonDocumentOptions s_documentOptions = new() { CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Reads a JSON Lines file: one object per line; blank lines are skipped.</summary>
    public static List<T> ReadJsonLines<T>(string path, Func<JsonRecordFields, T> parse)
    {
        var records = new List<T>();
        using var reader = DatasetFile.OpenText(path);
        var lineNumber = 0;
        while (ReadLine(reader, path) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var location = $"{path}:{lineNumber}";
            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(line, s_documentOptions);
                element = document.RootElement.Clone();
            }
            catch (JsonException exception)
            {
                throw new LoraException(
                    DataErrorCodes.MalformedJson,
                    $"The line is not valid JSON (byte {exception.BytePositionInLine + 1} of the line): {FirstSentence(exception)}",
                    location,
                    exception);
            }

            records.Add(parse(AsRecord(element, location)));
        }

        return records.Count > 0 ? records : throw Empty(path, "has no records (it is empty or holds only blank lines)");
    }

    /// <summary>Reads a JSON file holding one array of objects; each record's line is where its element starts.</summary>
    public static List<T> ReadJsonArray<T>(string path, Func<JsonRecordFields, T> parse)
    {
        var bytes = DatasetFile.ReadAllBytes(path);
        ReadOnlySpan<byte> json = bytes;
        if (json.StartsWith(Encoding.UTF8.Preamble))
        {
            json = json[Encoding.UTF8.Preamble.Length..];
        }

        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw Empty(path, "is empty");
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var lines = new LineCounter();
        Read(ref reader, path);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new LoraException(
                DataErrorCodes.JsonRootNotArray,
                "A .json dataset must hold a JSON array of records; use .jsonl for one record per line.",
                $"{path}:{lines.LineAt(json, (int)reader.TokenStartIndex)}");
        }

        var records = new List<T>();
        while (Read(ref reader, path) && reader.TokenType != JsonTokenType.EndArray)
        {
            var location = $"{path}:{lines.LineAt(json, (int)reader.TokenStartIndex)}";
            JsonElement element;
            try
            {
                element = JsonElement.ParseValue(ref reader);
            }
            catch (JsonException exception)
            {
                throw Malformed(path, exception);
            }

            records.Add(parse(AsRecord(element, location)));
        }

        // Anything after the closing bracket makes the reader throw.
        Read(ref reader, path);
        return records.Count > 0 ? records : throw Empty(path, "holds an empty JSON array");
    }

    private static JsonRecordFields AsRecord(JsonElement element, string location)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new LoraException(
                DataErrorCodes.RecordNotObject,
                $"Each record must be a JSON object, but this one is {JsonRecordFields.Describe(element.ValueKind)}.",
                location);
        }

        return JsonStrings.FindIllFormed(element) is { } bad
            ? throw new LoraException(DataErrorCodes.MalformedJson, $"The record has a string at {bad} that is not well-formed UTF-8 or UTF-16 text.", location)
            : new JsonRecordFields(element, location);
    }

    private static bool Read(ref Utf8JsonReader reader, string path)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException exception)
        {
            throw Malformed(path, exception);
        }
    }

    private static string? ReadLine(StreamReader reader, string path)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (IOException exception)
        {
            throw DatasetFile.Unreadable(path, exception);
        }
    }

    private static LoraException Malformed(string path, JsonException exception) =>
        new(
            DataErrorCodes.MalformedJson,
            $"The file is not valid JSON (byte {exception.BytePositionInLine + 1} of the line): {FirstSentence(exception)}",
            $"{path}:{exception.LineNumber + 1}",
            exception);

    private static LoraException Empty(string path, string why) =>
        new(DataErrorCodes.DatasetEmpty, $"The dataset {why}.", path);

    // System.Text.Json messages end with "LineNumber: n | BytePositionInLine: m."; the location already says that.
    private static string FirstSentence(JsonException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    /// <summary>Turns increasing byte offsets into 1-based line numbers by counting line feeds once.</summary>
    private sealed class LineCounter
    {
        private int _offset;
        private int _line = 1;

        public int LineAt(ReadOnlySpan<byte> json, int offset)
        {
            _line += json[_offset..offset].Count((byte)'\n');
            _offset = offset;
            return _line;
        }
    }
}
