using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.SafeTensors;

internal static class TensorBytes
{
    /// <summary>A CPU tensor whose memory holds exactly <paramref name="bytes"/>.</summary>
    public static Tensor Create(ScalarType type, long[] shape, byte[] bytes)
    {
        var tensor = empty(shape, type);
        if (bytes.Length > 0)
        {
            tensor.bytes = bytes;
        }

        return tensor;
    }

    /// <summary>Deterministic bytes for <paramref name="elements"/> values of <paramref name="type"/>; booleans stay 0 or 1.</summary>
    public static byte[] Pattern(ScalarType type, long elements, int seed)
    {
        using var probe = empty(1, type);
        var bytes = new byte[elements * probe.element_size()];
        new Random(seed).NextBytes(bytes);
        if (type == ScalarType.Bool)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                bytes[i] &= 1;
            }
        }

        return bytes;
    }

    public static byte[] Of(Tensor tensor)
    {
        if (tensor.numel() == 0)
        {
            return [];
        }

        using var cpu = tensor.cpu();
        using var contiguous = cpu.contiguous();
        return contiguous.bytes.ToArray();
    }
}
