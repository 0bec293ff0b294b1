using System.Diagnostics.CodeAnalysis;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>The validated header of one safetensors file.</summary>
public sealed class SafeTensorsHeader
{
    private readonly Dictionary<string, SafeTensorInfo> _byName;

    internal SafeTensorsHeader(
        long headerLength,
        IEnumerable<SafeTensorInfo> tensors,
        IReadOnlyDictionary<string, string> metadata)
    {
        HeaderLength = headerLength;
        Tensors = [.. tensors.OrderBy(t => t.Name, StringComparer.Ordinal)];
        _byName = Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = metadata;
    }

    /// <summary>The length in bytes of the JSON header (the value of the 8-byte prefix).</summary>
    public long HeaderLength { get; }

    /// <summary>The file offset at which the data section starts: 8 + <see cref="HeaderLength"/>.</summary>
    public long DataStart => sizeof(ulong) + HeaderLength;

    /// <summary>The tensors, in ordinal order of their names.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map; empty when the header has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Finds a tensor's entry by name.</summary>
    public bool TryGetTensor(string name, [MaybeNullWhen(false)] out SafeTensorInfo info) =>
        _byName.TryGetValue(name, out info);
}
