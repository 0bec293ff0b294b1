using LoraBuild.Testing.Comparison;

namespace LoraBuild.Testing;

/// <summary>How one kind of value is scrubbed, written as canonical JSON, read back and split into comparable entries.</summary>
internal interface ISnapshotFormat<T>
{
    /// <summary><paramref name="value"/> with its texts scrubbed and its ignored keys left out.</summary>
    T Scrub(T value, SnapshotOptions options);

    /// <summary>The canonical file content: equal values give equal bytes.</summary>
    byte[] Serialize(T value);

    /// <summary>Reads a verified file, with a <see cref="Core.Diagnostics.LoraException"/> naming the first bad field.</summary>
    T Read(string path);

    IReadOnlyList<SnapshotRecord> Records(T value);
}
