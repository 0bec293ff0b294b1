using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// Writes tensors to a safetensors file. The same tensors and metadata always give the same bytes (see
/// <see cref="SafeTensorsHeaderBuilder"/>), and the file appears atomically.
/// </summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> (on any device, any layout) to <paramref name="path"/>, replacing it.</summary>
    /// <param name="path">The file to write; its directory is created if needed.</param>
    /// <param name="tensors">Name and tensor pairs, in any order.</param>
    /// <param name="metadata">The <c>__metadata__</c> map (transformers expects <c>{"format": "pt"}</c>); null or empty writes none.</param>
    /// <exception cref="LoraException">A name is invalid (LORA2029) or repeated (LORA2008), or a dtype has no safetensors name (LORA2021).</exception>
    public static void Write(
        string path,
        IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var list = tensors.ToList();
        var layout = Plan(list, metadata, path);
        Write(path, layout, list.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));
    }

    internal static SafeTensorsFileLayout Plan(
        IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata,
        string path)
    {
        var specs = tensors.Select(pair => new SafeTensorSpec(pair.Key, DTypeOf(pair.Key, pair.Value, path), pair.Value.shape));
        return SafeTensorsHeaderBuilder.Build(specs, metadata, path);
    }

    internal static void Write(string path, SafeTensorsFileLayout layout, IReadOnlyDictionary<string, Tensor> tensorsByName)
    {
        AtomicFile.Write(path, stream =>
        {
            stream.Write(layout.PrefixAndHeader.Span);
            foreach (var info in layout.Tensors)
            {
                WriteData(stream, tensorsByName[info.Name], info);
            }
        });
    }

    private static SafeTensorsDType DTypeOf(string name, Tensor tensor, string path)
    {
        ArgumentNullException.ThrowIfNull(tensor, name);
        if (!SafeTensorsTorchTypes.TryGetDType(tensor.dtype, out var dtype))
        {
            throw new LoraException(
                SafeTensorsErrorCodes.DTypeNotSupported,
                $"Tensor '{name}' has type {tensor.dtype}, which safetensors has no name for.",
                SafeTensorsLocation.ForTensor(path, name));
        }

        return dtype;
    }

    private static void WriteData(FileStream stream, Tensor tensor, SafeTensorInfo info)
    {
        using var scope = NewDisposeScope();
        var contiguous = tensor.detach().cpu().contiguous();
        long written = 0;
        TensorByteChunks.ForEach(contiguous, (chunk, _) =>
        {
            stream.Write(chunk);
            written += chunk.Length;
        });

        if (written != info.ByteLength)
        {
            // Only possible if the tensor changed shape or type between planning and writing.
            throw new InvalidOperationException($"Tensor '{info.Name}' produced {written} bytes, not the planned {info.ByteLength}.");
        }
    }
}
