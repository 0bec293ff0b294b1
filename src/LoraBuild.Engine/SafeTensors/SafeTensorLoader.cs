using LoraBuild.Core.Diagnostics;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>Creates tensors from a safetensors file, reading each tensor's bytes straight into its native memory.</summary>
internal static class SafeTensorLoader
{
    public static Tensor Load(
        SafeFileHandle file,
        long dataStart,
        SafeTensorInfo info,
        string path,
        ScalarType? dtype,
        Device? device)
    {
        var location = SafeTensorsLocation.ForTensor(path, info.Name);
        if (!SafeTensorsTorchTypes.TryGetScalarType(info.DType, out var storedType))
        {
            throw new LoraException(
                SafeTensorsErrorCodes.DTypeNotSupported,
                $"Tensor '{info.Name}' has dtype {info.DType.HeaderName()}, which TorchSharp cannot represent.",
                location);
        }

        var tensor = empty([.. info.Shape], storedType);
        try
        {
            var tensorStart = dataStart + info.DataBegin;
            TensorByteChunks.ForEach(
                tensor,
                (chunk, byteOffset) => SafeTensorsFileAccess.ReadExactly(file, chunk, tensorStart + byteOffset, location));
            return Convert(tensor, dtype, device);
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    public static Dictionary<string, Tensor> LoadMany(
        ISafeTensorsReader reader,
        Func<SafeTensorInfo, bool>? filter,
        ScalarType? dtype,
        Device? device)
    {
        var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in reader.Tensors)
            {
                if (filter is null || filter(info))
                {
                    loaded.Add(info.Name, reader.LoadTensor(info.Name, dtype, device));
                }
            }

            return loaded;
        }
        catch
        {
            foreach (var tensor in loaded.Values)
            {
                tensor.Dispose();
            }

            throw;
        }
    }

    private static Tensor Convert(Tensor tensor, ScalarType? dtype, Device? device)
    {
        var targetType = dtype ?? tensor.dtype;
        var targetDevice = device ?? tensor.device;
        if (targetType == tensor.dtype && targetDevice.type == DeviceType.CPU)
        {
            return tensor;
        }

        var converted = tensor.to(targetType, targetDevice);
        if (!ReferenceEquals(converted, tensor))
        {
            tensor.Dispose();
        }

        return converted;
    }
}
