using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// A frozen weight stored as bitsandbytes stores an LLM.int8() weight (<c>Int8Params</c>, outlier threshold 0): one
/// int8 code per element, <c>CB = round(W · 127 / row absmax)</c> from the weight rounded to float16, and the float32
/// absmax of each output row (<c>SCB</c>). Only the storage is bitsandbytes'; the matmul runs in the compute dtype on
/// the dequantized weight, where bitsandbytes also quantizes the activations to int8.
/// </summary>
public sealed class Int8Weight : IQuantizedWeight
{
    /// <summary>bitsandbytes' float32 constant for 1/127, by which it multiplies to dequantize.</summary>
    private const float InverseCodeRange = 7.874015718698502e-3f;

    private const float CodeRange = 127f;

    private Int8Weight(Tensor codes, Tensor rowAbsmax)
    {
        Codes = codes.DetachFromDisposeScope();
        RowAbsmax = rowAbsmax.DetachFromDisposeScope();
    }

    /// <summary>The codes (<c>CB</c>), int8 [out, in].</summary>
    public Tensor Codes { get; }

    /// <summary>The largest magnitude of every output row (<c>SCB</c>), float32 [out].</summary>
    public Tensor RowAbsmax { get; }

    public IReadOnlyList<long> Shape => Codes.shape;

    public long StorageBytes => Codes.numel() + (RowAbsmax.numel() * sizeof(float));

    public Device Device => Codes.device;

    /// <summary>Quantizes a 2-D weight (any floating dtype) row by row.</summary>
    /// <remarks>
    /// As bitsandbytes' reference implementation: the weight is first rounded to float16, each row is scaled by
    /// <c>127 / its absmax</c> in float32 and rounded half to even. A row of zeros, which bitsandbytes would divide by
    /// zero, gets codes 0.
    /// </remarks>
    public static Int8Weight Quantize(Tensor weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.dim() != 2)
        {
            throw new ArgumentException($"An int8 weight is quantized per row of a 2-D weight, not one of shape [{string.Join(", ", weight.shape)}].", nameof(weight));
        }

        using var scope = NewDisposeScope();
        var values = weight.detach().to_type(ScalarType.Float16).to_type(ScalarType.Float32);
        var absmax = values.abs().amax([1]);
        using var range = CodeRange.ToScalar();
        var scale = where(absmax.gt(LiveScalars.Zero), full_like(absmax, range).div(absmax), zeros_like(absmax));
        var codes = values.mul(scale.unsqueeze(1)).round().to_type(ScalarType.Int8);
        return new Int8Weight(codes, absmax);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Float32 values are <c>code × row absmax × (1/127)</c> in float32, as bitsandbytes computes them; narrower dtypes
    /// are that product rounded once.
    /// </remarks>
    public Tensor Dequantize(ScalarType dtype = ScalarType.Float32)
    {
        using var scope = NewDisposeScope();
        using var inverseRange = InverseCodeRange.ToScalar();
        var values = Codes.to_type(ScalarType.Float32).mul(RowAbsmax.unsqueeze(1)).mul_(inverseRange);
        return values.to_type(dtype).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Codes.Dispose();
        RowAbsmax.Dispose();
    }
}
