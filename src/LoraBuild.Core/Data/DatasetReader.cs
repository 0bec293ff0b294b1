using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>
/// Reads dataset files into validated records. A <c>.jsonl</c> file holds one JSON object per line (blank lines are
/// skipped); a <c>.json</c> file holds one JSON array of objects; a <c>.txt</c> file is one plain-text document.
/// Every error is a <see cref="LoraException"/> whose location is <c>path:line</c> (1-based) of the bad record.
/// </summary>
public static class DatasetReader
{
    /// <summary>Reads a dataset file of the given format.</summary>
    /// <returns><see cref="AlpacaRecord"/>, <see cref="ChatRecord"/> or <see cref="TextRecord"/> values, in file order.</returns>
    /// <exception cref="LoraException">A code from <see cref="DataErrorCodes"/>, located at the file or the bad record.</exception>
    public static IReadOnlyList<DatasetRecord> Read(string path, DatasetFormat format) => format switch
    {
        DatasetFormat.Alpaca => ReadAlpaca(path),
        DatasetFormat.Chat => ReadChat(path),
        DatasetFormat.Text => ReadText(path),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown dataset format."),
    };

    /// <summary>Reads Stanford Alpaca records from a <c>.json</c> array or a <c>.jsonl</c> file.</summary>
    public static IReadOnlyList<AlpacaRecord> ReadAlpaca(string path) =>
        ReadJson(path, DatasetFormat.Alpaca, DatasetRecordParsers.Alpaca);

    /// <summary>Reads conversations (<c>{"messages": [...]}</c>) from a <c>.jsonl</c> file or a <c>.json</c> array.</summary>
    public static IReadOnlyList<ChatRecord> ReadChat(string path) =>
        ReadJson(path, DatasetFormat.Chat, DatasetRecordParsers.Chat);

    /// <summary>
    /// Reads plain-text documents: a <c>.txt</c> file is one document (read verbatim), a <c>.jsonl</c> file or
    /// <c>.json</c> array holds one document per record in its <c>text</c> field.
    /// </summary>
    public static IReadOnlyList<TextRecord> ReadText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!HasExtension(path, ".txt"))
        {
            return ReadJson(path, DatasetFormat.Text, DatasetRecordParsers.Text);
        }

        var text = DatasetFile.ReadAllText(path);
        return string.IsNullOrWhiteSpace(text)
            ? throw new LoraException(DataErrorCodes.DatasetEmpty, "The text file is empty or holds only whitespace.", path)
            : [new TextRecord(text, $"{path}:1")];
    }

    private static List<T> ReadJson<T>(string path, DatasetFormat format, Func<JsonRecordFields, T> parse)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (HasExtension(path, ".jsonl"))
        {
            return JsonRecordSource.ReadJsonLines(path, parse);
        }

        if (HasExtension(path, ".json"))
        {
            return JsonRecordSource.ReadJsonArray(path, parse);
        }

        var accepted = format == DatasetFormat.Text ? ".jsonl, .json or .txt" : ".jsonl or .json";
        throw new LoraException(
            DataErrorCodes.UnsupportedFileExtension,
            $"A {DatasetFormats.Name(format)} dataset must be a {accepted} file, not \"{Path.GetExtension(path)}\".",
            path);
    }

    private static bool HasExtension(string path, string extension) =>
        Path.GetExtension(path).Equals(extension, StringComparison.OrdinalIgnoreCase);
}
