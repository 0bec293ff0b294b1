using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// A safetensors file mapped into memory by libtorch (<c>torch.from_file</c>, private: writes never reach the file), so
/// a tensor stored in the dtype it is wanted in becomes a view of the mapped pages: nothing is read until it is used,
/// the pages are the page cache's (shared between processes, dropped under memory pressure and read again), and a
/// model of several GB loads without a copy.
/// </summary>
internal sealed class MappedSafeTensorsFile : IDisposable
{
    private readonly Tensor _bytes;

    private MappedSafeTensorsFile(Tensor bytes) => _bytes = bytes;

    public static MappedSafeTensorsFile Open(string path)
    {
        // A Hugging Face cache snapshot holds symbolic links to its blobs; a link's own length is that of its target's name.
        var file = File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        var length = new FileInfo(file).Length;
        return new MappedSafeTensorsFile(from_file(file, shared: false, size: length, dtype: ScalarType.Byte));
    }

    /// <summary>
    /// The tensor as a view of the mapped bytes, in its stored dtype; null when it cannot be one (no elements, or its
    /// offset is not a multiple of its element size, which safetensors does not require).
    /// </summary>
    public Tensor? View(SafeTensorInfo info, long dataStart, ScalarType storedType)
    {
        ArgumentNullException.ThrowIfNull(info);
        var offset = dataStart + info.DataBegin;
        var elementSize = info.ByteLength / Math.Max(1, info.ElementCount);
        if (info.ByteLength == 0 || offset % elementSize != 0)
        {
            return null;
        }

        using var region = _bytes.narrow(0, offset, info.ByteLength);
        using var flat = storedType == ScalarType.Byte ? region.alias() : StorageViews.Reinterpret(region, storedType);
        return flat.view([.. info.Shape]);
    }

    public void Dispose() => _bytes.Dispose();
}
