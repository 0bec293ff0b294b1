using System.Text.Json;
using LoraBuild.Testing.Comparison;

namespace LoraBuild.Testing.Formats;

/// <summary>Named numbers (losses, metric means) as a snapshot: <c>{"version": 1, "metrics": {key: value}}</c>, keys in ordinal order.</summary>
internal sealed class MetricsFormat : ISnapshotFormat<IReadOnlyDictionary<string, double>>
{
    public static MetricsFormat Instance { get; } = new();

    public IReadOnlyDictionary<string, double> Scrub(IReadOnlyDictionary<string, double> value, SnapshotOptions options) =>
        new SortedDictionary<string, double>(value.Where(pair => !options.Ignores(pair.Key)).ToDictionary(), StringComparer.Ordinal);

    public byte[] Serialize(IReadOnlyDictionary<string, double> value) =>
        SnapshotJson.Write(writer => SnapshotJson.WriteNumbers(writer, "metrics", value));

    public IReadOnlyDictionary<string, double> Read(string path) =>
        SnapshotJson.Read(path, (reader, root) => reader.Numbers(reader.Property(root, "metrics", JsonValueKind.Object, ""), "metrics"));

    public IReadOnlyList<SnapshotRecord> Records(IReadOnlyDictionary<string, double> value) =>
        [new("metrics", "metrics", [.. value.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => SnapshotField.OfNumber(pair.Key, pair.Key, pair.Value))])];
}
