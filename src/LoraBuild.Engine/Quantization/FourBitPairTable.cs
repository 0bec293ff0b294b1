using System.Collections.Concurrent;
using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// For every byte of packed 4-bit codes, the two values it stands for (high nibble first, before scaling) in one dtype,
/// held as a single integer twice that dtype's width: 256 entries, so that a 1-D lookup by byte yields the values of
/// both codes in memory order. Built once per format, dtype and device.
/// </summary>
internal static class FourBitPairTable
{
    private static readonly ConcurrentDictionary<(string Format, ScalarType DType, DeviceType DeviceType, int DeviceIndex), Tensor> s_tables = new();

    /// <summary>The table whose entries, read as <paramref name="dtype"/>, are <paramref name="format"/>'s <see cref="FourBitFormat.BytePairs"/>.</summary>
    /// <param name="format">NF4 or FP4.</param>
    /// <param name="dtype">A 2- or 4-byte floating dtype.</param>
    /// <param name="device">Where the lookups run.</param>
    public static Tensor For(FourBitFormat format, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(device);
        return s_tables.GetOrAdd((format.Name, dtype, device.type, device.index), key => Build(format, key.DType, device));
    }

    private static Tensor Build(FourBitFormat format, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var pairs = tensor(format.BytePairs, [256, 2], device: device).to_type(dtype).contiguous();
        var pairType = pairs.ElementSize switch
        {
            2 => ScalarType.Int32,
            4 => ScalarType.Int64,
            _ => throw new ArgumentException($"4-bit code pairs are looked up for 2- or 4-byte dtypes, not {dtype}.", nameof(dtype)),
        };

        // A copy, so the table owns exactly its 256 entries and nothing else.
        return StorageViews.Reinterpret(pairs, pairType).clone().DetachFromDisposeScope();
    }
}
