using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// A frozen weight stored as 4-bit codes of a <see cref="FourBitFormat"/> (NF4 or FP4), laid out as bitsandbytes lays them out: blocks of
/// <see cref="BlockSize"/> consecutive elements (row-major), one absmax per block, two codes per byte with the first
/// element in the high nibble, and, with double quantization, the absmax values themselves quantized.
/// </summary>
public sealed class FourBitWeight : IQuantizedWeight
{
    /// <summary>The block size bitsandbytes uses for 4-bit weights by default.</summary>
    public const int DefaultBlockSize = 64;

    private readonly Tensor? _absmax;
    private readonly QuantizedAbsmax? _quantizedAbsmax;

    private FourBitWeight(FourBitFormat format, Tensor packed, Tensor? absmax, QuantizedAbsmax? quantizedAbsmax, long[] shape, int blockSize)
    {
        Format = format;
        // The weight owns its tensors for its whole life, whatever dispose scope it was made in.
        Packed = packed.DetachFromDisposeScope();
        _absmax = absmax?.DetachFromDisposeScope();
        _quantizedAbsmax = quantizedAbsmax;
        Shape = shape;
        BlockSize = blockSize;
    }

    public Device Device => Packed.device;

    /// <summary>What the codes stand for.</summary>
    public FourBitFormat Format { get; }

    /// <summary>The codes, two per byte: ⌈elements / 2⌉ bytes.</summary>
    public Tensor Packed { get; }

    /// <summary>The shape of the original weight.</summary>
    public IReadOnlyList<long> Shape { get; }

    public int BlockSize { get; }

    public long ElementCount => Shape.Aggregate(1L, (product, size) => product * size);

    public long BlockCount => BlockwiseCodes.BlockCount(ElementCount, BlockSize);

    /// <summary>Whether the absmax values are double-quantized (8-bit codes and a float32 scale per 256 of them).</summary>
    public bool IsDoubleQuantized => _quantizedAbsmax is not null;

    /// <summary>Bytes held: packed codes plus the absmax values (float32, or their 8-bit codes, scales and offset).</summary>
    public long StorageBytes => Packed.shape[0] + (_quantizedAbsmax?.StorageBytes ?? (BlockCount * sizeof(float)));

    /// <summary>Quantizes <paramref name="weight"/> (any floating dtype) to NF4.</summary>
    /// <param name="weight">The weight; its values are read as float32.</param>
    /// <param name="doubleQuantize">Quantize the absmax values too, as bitsandbytes' <c>compress_statistics</c> does.</param>
    /// <param name="blockSize">Elements per absmax block.</param>
    public static FourBitWeight Quantize(Tensor weight, bool doubleQuantize = true, int blockSize = DefaultBlockSize) =>
        Quantize(weight, FourBitFormat.Nf4, doubleQuantize, blockSize);

    /// <summary>Quantizes <paramref name="weight"/> (any floating dtype) to <paramref name="format"/>.</summary>
    /// <param name="weight">The weight; its values are read as float32.</param>
    /// <param name="format">NF4 or FP4.</param>
    /// <param name="doubleQuantize">Quantize the absmax values too, as bitsandbytes' <c>compress_statistics</c> does.</param>
    /// <param name="blockSize">Elements per absmax block.</param>
    public static FourBitWeight Quantize(Tensor weight, FourBitFormat format, bool doubleQuantize = true, int blockSize = DefaultBlockSize)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 2);
        using var scope = NewDisposeScope();
        var (codes, absmax) = BlockwiseCodes.Quantize(weight, format.Codes, blockSize);
        var packed = Pack(codes);
        if (!doubleQuantize)
        {
            return new FourBitWeight(format, packed, absmax, null, weight.shape, blockSize);
        }

        var quantized = QuantizedAbsmax.Quantize(absmax);
        return new FourBitWeight(format, packed, null, quantized, weight.shape, blockSize);
    }

    /// <summary>The weight the codes stand for, in <paramref name="dtype"/>, with the original shape.</summary>
    /// <remarks>
    /// Float32 (and float64) values are exactly <c>code value × block absmax</c> in float32, as bitsandbytes computes
    /// them. Narrower dtypes are looked up and scaled in that dtype (code value, absmax and product each rounded once:
    /// within 1.2% relative of the exact value in bfloat16, against NF4's own error of about 9%, FP4's larger), which is several times
    /// faster because no float32 copy of the weight is written; it runs up to three times per frozen layer per step.
    /// </remarks>
    public Tensor Dequantize(ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        var computeType = dtype is ScalarType.Float32 or ScalarType.Float64 ? ScalarType.Float32 : dtype;
        var absmax = (_absmax ?? _quantizedAbsmax!.Dequantize()).to_type(computeType);

        // One lookup per byte gives both of its values, so the codes are never unpacked into a tensor of their own; the
        // table holds each pair as one wider integer, because a 1-D lookup of scalars is several times faster in libtorch
        // than one of 2-element rows. The looked-up integers' bytes are then read as the value pairs they hold.
        var pairs = FourBitPairTable.For(Format, computeType, Packed.device);
        var packedPairs = pairs.index_select(0, Packed.to_type(ScalarType.Int32));
        var values = StorageViews.Reinterpret(packedPairs, computeType);
        if (ElementCount % BlockSize == 0)
        {
            values = values.view(-1, BlockSize).mul_(absmax.unsqueeze(1));
        }
        else
        {
            var count = ElementCount;
            values = values.narrow(0, 0, count).mul_(absmax.repeat_interleave(BlockSize).narrow(0, 0, count));
        }

        return values.reshape([.. Shape]).to_type(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The per-block absmax values as the dequantization uses them (after double quantization, if any).</summary>
    public Tensor Absmax() => _absmax?.clone() ?? _quantizedAbsmax!.Dequantize();

    public void Dispose()
    {
        Packed.Dispose();
        _absmax?.Dispose();
        _quantizedAbsmax?.Dispose();
    }

    /// <summary>Two codes per byte: element 2i in the high nibble, 2i + 1 in the low one (0 when there is none).</summary>
    internal static Tensor Pack(Tensor codes)
    {
        using var scope = NewDisposeScope();
        var count = codes.shape[0];
        var pairs = nn.functional.pad(codes.to_type(ScalarType.Int32), [0, count % 2]).reshape(-1, 2);
        using var nibble = 16.ToScalar();
        var bytes = pairs.select(1, 0).mul(nibble).Plus(pairs.select(1, 1));
        return bytes.to_type(ScalarType.Byte).MoveToOuterDisposeScope();
    }
}
