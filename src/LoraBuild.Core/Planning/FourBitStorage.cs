namespace LoraBuild.Core.Planning;

/// <summary>
/// Bytes a weight takes in bitsandbytes' 4-bit layout (NF4 and FP4 alike): two 4-bit codes per byte, one absmax per block of 64 elements
/// (the last block may be partial), plus the per-tensor tables of its quantization state.
/// </summary>
public static class FourBitStorage
{
    /// <summary>Elements per block, each sharing one absmax.</summary>
    public const int BlockSize = 64;

    /// <summary>Absmax values per block of the second-level (double) quantization.</summary>
    public const int AbsmaxBlockSize = 256;

    /// <summary>The 16 fp32 values of the code table.</summary>
    private const int CodeTableBytes = 16 * 4;

    /// <summary>The 256 fp32 values of the dynamic map that decodes 8-bit absmax values, plus the fp32 absmax mean.</summary>
    private const int DoubleQuantizationTableBytes = (256 * 4) + 4;

    /// <summary>The bytes of one weight of <paramref name="elements"/> elements.</summary>
    /// <param name="elements">Elements of the weight.</param>
    /// <param name="doubleQuantization">
    /// False: one fp32 absmax per block. True: absmax values as 8-bit codes with one fp32 scale per 256 blocks (and the
    /// mean that was subtracted before quantizing them).
    /// </param>
    public static long Bytes(long elements, bool doubleQuantization)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elements);
        var blocks = Ceiling(elements, BlockSize);
        var codes = Ceiling(elements, 2);
        var absmax = doubleQuantization
            ? blocks + (4 * Ceiling(blocks, AbsmaxBlockSize)) + DoubleQuantizationTableBytes
            : 4 * blocks;
        return codes + absmax + CodeTableBytes;
    }

    private static long Ceiling(long value, long divisor) => (value + divisor - 1) / divisor;
}
