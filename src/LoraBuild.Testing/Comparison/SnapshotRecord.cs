namespace LoraBuild.Testing.Comparison;

/// <summary>One comparable entry of a snapshot (a sample, the aggregates, a metric), matched to its counterpart by <paramref name="Id"/>.</summary>
/// <param name="Id">The identity that pairs a verified and a received entry, e.g. <c>sample 7</c>.</param>
/// <param name="Label">How messages name the entry, e.g. <c>sample 7 (data/eval.jsonl:8)</c>.</param>
/// <param name="Fields">The entry's values, in the order a message lists them.</param>
internal sealed record SnapshotRecord(string Id, string Label, IReadOnlyList<SnapshotField> Fields);

/// <summary>A text or a number of an entry.</summary>
/// <param name="Name">How messages name the value, e.g. <c>after.output</c> or <c>after.scores.rouge_l</c>.</param>
/// <param name="Key">The score or metric key that picks the value's tolerance; null for texts.</param>
internal sealed record SnapshotField(string Name, string? Key, string? Text, double? Number)
{
    public static SnapshotField OfText(string name, string text) => new(name, null, text, null);

    public static SnapshotField OfNumber(string name, string key, double number) => new(name, key, null, number);
}
