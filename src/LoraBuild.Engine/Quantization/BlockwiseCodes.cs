using LoraBuild.Engine.Tensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// Blockwise absmax quantization: each block of <c>blockSize</c> consecutive elements is multiplied by the reciprocal of
/// its largest magnitude (as bitsandbytes' kernels do, rather than divided by it), and each quotient in [-1, 1] takes a
/// code. With a sorted codebook that is the index of the nearest code, a quotient exactly halfway between two codes
/// taking the lower one, as bitsandbytes' comparisons do. A block of zeros has absmax 0 and the codes of 0.
/// </summary>
internal static class BlockwiseCodes
{
    /// <summary>Codes (uint8, one per element, <paramref name="values"/> flattened) and the float32 absmax of every block.</summary>
    /// <param name="values">The values; read as float32.</param>
    /// <param name="sortedCodebook">Ascending code values: each quotient takes the index of the nearest.</param>
    /// <param name="blockSize">Elements per block.</param>
    public static (Tensor Codes, Tensor Absmax) Quantize(Tensor values, IReadOnlyList<float> sortedCodebook, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(sortedCodebook);
        return Quantize(values, normalized => NearestCodes(normalized, sortedCodebook), blockSize);
    }

    /// <summary>Codes (uint8, one per element, <paramref name="values"/> flattened) and the float32 absmax of every block.</summary>
    /// <param name="values">The values; read as float32.</param>
    /// <param name="codesOf">The code of every quotient in [-1, 1] (any integer dtype, same shape).</param>
    /// <param name="blockSize">Elements per block.</param>
    public static (Tensor Codes, Tensor Absmax) Quantize(Tensor values, Func<Tensor, Tensor> codesOf, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(codesOf);
        using var scope = NewDisposeScope();
        var flat = values.detach().to_type(ScalarType.Float32).flatten();
        var count = flat.shape[0];
        var blocks = BlockCount(count, blockSize);
        var padded = nn.functional.pad(flat, [0, (blocks * blockSize) - count]).reshape(blocks, blockSize);
        var absmax = padded.abs().amax([1]);
        var reciprocal = where(absmax.gt(LiveScalars.Zero), absmax.reciprocal(), ones_like(absmax)).unsqueeze(1);
        var codes = codesOf(padded * reciprocal).flatten().narrow(0, 0, count).to_type(ScalarType.Byte);
        return (codes.MoveToOuterDisposeScope(), absmax.MoveToOuterDisposeScope());
    }

    /// <summary>For every value, the index of the nearest entry of <paramref name="sortedCodebook"/> (the lower on a tie).</summary>
    public static Tensor NearestCodes(Tensor values, IReadOnlyList<float> sortedCodebook)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(sortedCodebook);
        using var midpoints = Midpoints(sortedCodebook, values.device);
        return bucketize(values, midpoints);
    }

    /// <summary>Float32 values of <paramref name="codes"/> (one per element) scaled by their block's absmax.</summary>
    public static Tensor Dequantize(Tensor codes, Tensor absmax, IReadOnlyList<float> codebook, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(absmax);
        ArgumentNullException.ThrowIfNull(codebook);
        using var scope = NewDisposeScope();
        var count = codes.shape[0];
        var table = tensor(codebook.ToArray(), device: codes.device);
        var values = table.index_select(0, codes.to_type(ScalarType.Int64));
        var scales = absmax.to_type(ScalarType.Float32).repeat_interleave(blockSize).narrow(0, 0, count);
        return (values * scales).MoveToOuterDisposeScope();
    }

    public static long BlockCount(long count, int blockSize) => (count + blockSize - 1) / blockSize;

    private static Tensor Midpoints(IReadOnlyList<float> codebook, Device device)
    {
        var midpoints = new float[codebook.Count - 1];
        for (var i = 0; i < midpoints.Length; i++)
        {
            midpoints[i] = (codebook[i] + codebook[i + 1]) / 2f;
        }

        return tensor(midpoints, device: device);
    }
}
