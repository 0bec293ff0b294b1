using static TorchSharp.torch;

namespace LoraBuild.Engine.Tensors;

/// <summary>
/// Reads a tensor's bytes as another dtype without copying them, as PyTorch's <c>Tensor.view(dtype)</c> does, which
/// TorchSharp does not bind. The view shares the source's storage (writes through either are seen by both) and keeps
/// that storage alive after the source tensor is disposed.
/// </summary>
internal static class StorageViews
{
    /// <summary>A 1-D view of <paramref name="source"/>'s bytes as elements of <paramref name="dtype"/>.</summary>
    /// <param name="source">A contiguous tensor whose byte count is a multiple of <paramref name="dtype"/>'s size.</param>
    /// <param name="dtype">The dtype to read the bytes as.</param>
    public static Tensor Reinterpret(Tensor source, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.is_contiguous())
        {
            throw new ArgumentException("Only a contiguous tensor's bytes can be read as another dtype.", nameof(source));
        }

        var sourceBytes = source.numel() * source.ElementSize;
        var offsetBytes = source.storage_offset() * source.ElementSize;
        using var probe = empty(0, dtype, source.device);
        var targetSize = probe.ElementSize;
        if (sourceBytes % targetSize != 0 || offsetBytes % targetSize != 0)
        {
            throw new ArgumentException($"{sourceBytes} bytes at offset {offsetBytes} are not a whole number of {dtype} elements ({targetSize} bytes).", nameof(source));
        }

        // set_ counts the source's sizes and offset in the new dtype's elements and would grow the storage to fit them, so
        // it is handed an empty slice: only the storage is taken. The strided view then places the same bytes, counted
        // in the new dtype, and libtorch checks that they lie inside the storage.
        using var flat = source.view(-1);
        using var storageOnly = flat.narrow(0, 0, 0);
        using var sharing = probe.set_(storageOnly);
        return sharing.as_strided([sourceBytes / targetSize], [1], offsetBytes / targetSize);
    }
}
