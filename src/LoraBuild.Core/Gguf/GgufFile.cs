namespace LoraBuild.Core.Gguf;

/// <summary>What a GGUF file holds: its version, metadata (in file order), and tensor descriptions (in file order).</summary>
public sealed record GgufFile(
    string Path,
    uint Version,
    IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata,
    IReadOnlyList<GgufTensorInfo> Tensors,
    int Alignment,
    long DataOffset)
{
    public GgufValue? Find(string key) => Metadata.FirstOrDefault(pair => pair.Key == key).Value;

    public GgufValue Get(string key) => Find(key) ?? throw new KeyNotFoundException($"{Path} has no metadata key '{key}'.");

    public GgufTensorInfo Tensor(string name) =>
        Tensors.FirstOrDefault(tensor => tensor.Name == name) ?? throw new KeyNotFoundException($"{Path} has no tensor '{name}'.");

    /// <summary>Reads one tensor's encoded bytes.</summary>
    public byte[] ReadBytes(GgufTensorInfo tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var stream = File.OpenRead(Path);
        stream.Position = tensor.FileOffset;
        var bytes = new byte[tensor.ByteCount];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Reads one tensor and decodes it to float32, row-major.</summary>
    public float[] ReadFloats(GgufTensorInfo tensor) => GgmlEncoding.Decode(ReadBytes(tensor), tensor.Type);
}
