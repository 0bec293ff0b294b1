namespace LoraBuild.Core.Gguf;

/// <summary>A tensor as a GGUF file describes it: name, shape (outermost first), type, and where its bytes start in the file.</summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Shape, GgmlType Type, long FileOffset)
{
    public long Elements => Shape.Aggregate(1L, (product, dimension) => checked(product * dimension));

    public long ByteCount => GgmlTypes.ByteCount(Type, Elements, Shape.Count == 0 ? 1 : Shape[^1]);
}
