namespace LoraBuild.Core.Data;

/// <summary>The shape of the records in a dataset file.</summary>
public enum DatasetFormat
{
    /// <summary>Instruction tuning records with <c>instruction</c>, optional <c>input</c>, and <c>output</c> (Stanford Alpaca).</summary>
    Alpaca,

    /// <summary>Conversations: <c>{"messages": [{"role": ..., "content": ...}]}</c>.</summary>
    Chat,

    /// <summary>Plain documents for continued pretraining: a <c>.txt</c> file, or records with a <c>text</c> field.</summary>
    Text,
}

/// <summary>The names users type for <see cref="DatasetFormat"/> (<c>alpaca</c>, <c>chat</c>, <c>text</c>).</summary>
public static class DatasetFormats
{
    /// <summary>Every format name, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["alpaca", "chat", "text"];

    /// <summary>The name of a format as users type it.</summary>
    public static string Name(DatasetFormat format) => format switch
    {
        DatasetFormat.Alpaca => "alpaca",
        DatasetFormat.Chat => "chat",
        DatasetFormat.Text => "text",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown dataset format."),
    };

    /// <summary>Parses a format name, ignoring case.</summary>
    /// <param name="name">The name: <c>alpaca</c>, <c>chat</c> or <c>text</c>.</param>
    /// <param name="location">Where the name came from (an item, a setting), reported on error.</param>
    /// <exception cref="Diagnostics.LoraException"><see cref="DataErrorCodes.UnknownDatasetFormat"/>.</exception>
    public static DatasetFormat Parse(string name, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "alpaca" => DatasetFormat.Alpaca,
            "chat" => DatasetFormat.Chat,
            "text" => DatasetFormat.Text,
            _ => throw new Diagnostics.LoraException(
                DataErrorCodes.UnknownDatasetFormat,
                $"Unknown dataset format \"{name}\"; use one of: {string.Join(", ", Names)}.",
                location),
        };
    }
}
