using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// Walks the native memory of a contiguous CPU tensor as byte spans of at most 1 GiB, because a span cannot
/// cover more than <see cref="int.MaxValue"/> bytes and one tensor can.
/// </summary>
internal static class TensorByteChunks
{
    public delegate void ChunkAction(Span<byte> chunk, long byteOffset);

    public const long DefaultMaxChunkBytes = 1L << 30;

    public static void ForEach(Tensor contiguousCpuTensor, ChunkAction action, long maxChunkBytes = DefaultMaxChunkBytes)
    {
        var elementCount = contiguousCpuTensor.numel();
        if (elementCount == 0)
        {
            return;
        }

        var elementSize = contiguousCpuTensor.element_size();
        var elementsPerChunk = Math.Max(1, maxChunkBytes / elementSize);
        using var flat = contiguousCpuTensor.view(-1);
        for (long first = 0; first < elementCount; first += elementsPerChunk)
        {
            var count = Math.Min(elementsPerChunk, elementCount - first);
            using var chunk = flat.narrow(0, first, count);
            action(chunk.bytes, first * elementSize);
        }
    }
}
