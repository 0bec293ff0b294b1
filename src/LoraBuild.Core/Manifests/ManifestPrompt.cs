using LoraBuild.Core.Data;

namespace LoraBuild.Core.Manifests;

/// <summary>
/// What every training prompt of an adapter shared: <c>generate</c> and the runtime API fill it in when the caller
/// gives only the part that varies (the input of an Alpaca record, the user message of a conversation).
/// </summary>
public sealed record ManifestPrompt
{
    /// <summary>The instruction of every Alpaca training record, when they all have the same one.</summary>
    public string? Instruction { get; init; }

    /// <summary>The system message every training conversation opens with, when they all open with the same one.</summary>
    public string? System { get; init; }

    /// <summary>What <paramref name="records"/> share, or null when they share nothing (or mix formats).</summary>
    public static ManifestPrompt? Of(IReadOnlyList<DatasetRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var instruction = records.Count > 0 && records.All(record => record is AlpacaRecord)
            ? Shared(records.Cast<AlpacaRecord>().Select(record => record.Instruction))
            : null;
        var system = records.Count > 0 && records.All(record => record is ChatRecord { Messages: [{ Role: ChatRole.System }, ..] })
            ? Shared(records.Cast<ChatRecord>().Select(record => record.Messages[0].Content))
            : null;
        return instruction is null && system is null ? null : new ManifestPrompt { Instruction = instruction, System = system };
    }

    private static string? Shared(IEnumerable<string> values)
    {
        var distinct = values.Distinct(StringComparer.Ordinal).Take(2).ToList();
        return distinct.Count == 1 ? distinct[0] : null;
    }
}
