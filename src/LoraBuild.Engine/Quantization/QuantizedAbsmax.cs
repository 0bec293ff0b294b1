using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// The second quantization level of 4-bit weights (bitsandbytes' <c>compress_statistics</c>): the float32 absmax values, less their
/// mean, quantized blockwise to 8-bit codes of <see cref="DynamicQuantizationMap.Values"/> in blocks of 256, with
/// one float32 scale per block and the mean kept as a float32 offset.
/// </summary>
public sealed class QuantizedAbsmax : IDisposable
{
    /// <summary>Absmax values per second-level block, as in bitsandbytes.</summary>
    public const int BlockSize = 256;

    private QuantizedAbsmax(Tensor codes, Tensor scales, float offset)
    {
        Codes = codes.DetachFromDisposeScope();
        Scales = scales.DetachFromDisposeScope();
        Offset = offset;
    }

    /// <summary>One uint8 code per absmax value.</summary>
    public Tensor Codes { get; }

    /// <summary>One float32 scale per block of 256 codes.</summary>
    public Tensor Scales { get; }

    /// <summary>The mean subtracted before quantizing.</summary>
    public float Offset { get; }

    public long StorageBytes => Codes.shape[0] + (Scales.shape[0] * sizeof(float)) + sizeof(float);

    public static QuantizedAbsmax Quantize(Tensor absmax)
    {
        ArgumentNullException.ThrowIfNull(absmax);
        using var scope = NewDisposeScope();
        var values = absmax.to_type(ScalarType.Float32);
        var offset = values.mean().item<float>();
        using var mean = offset.ToScalar();
        var (codes, scales) = BlockwiseCodes.Quantize(values.sub(mean), DynamicQuantizationMap.Values, BlockSize);
        return new QuantizedAbsmax(codes, scales, offset);
    }

    /// <summary>The float32 absmax values the codes stand for.</summary>
    public Tensor Dequantize()
    {
        using var scope = NewDisposeScope();
        using var offset = Offset.ToScalar();
        var values = BlockwiseCodes.Dequantize(Codes, Scales, DynamicQuantizationMap.Values, BlockSize).Plus(offset);
        return values.MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Codes.Dispose();
        Scales.Dispose();
    }
}
