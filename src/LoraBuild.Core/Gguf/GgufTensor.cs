namespace LoraBuild.Core.Gguf;

/// <summary>
/// A tensor to write into a GGUF file. <paramref name="Shape"/> is in row-major order, outermost dimension first (as
/// PyTorch and safetensors give it; the file stores it reversed, as ggml's <c>ne</c>). <paramref name="Data"/> makes
/// the encoded bytes when the writer reaches the tensor, so only one tensor is in memory at a time.
/// </summary>
public sealed record GgufTensor(string Name, IReadOnlyList<long> Shape, GgmlType Type, Func<ReadOnlyMemory<byte>> Data)
{
    /// <summary>The element count.</summary>
    public long Elements => Shape.Aggregate(1L, (product, dimension) => checked(product * dimension));

    /// <summary>The encoded size in bytes.</summary>
    public long ByteCount => GgmlTypes.ByteCount(Type, Elements, Shape.Count == 0 ? 1 : Shape[^1]);
}
