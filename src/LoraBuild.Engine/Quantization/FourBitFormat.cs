using LoraBuild.Core.Specs;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// A 4-bit data type for frozen base weights, as bitsandbytes defines it: what each of the 16 codes stands for (before
/// its block's absmax scales it), and which code a value in [-1, 1] takes.
/// </summary>
public sealed class FourBitFormat
{
    private readonly Func<Tensor, Tensor> _codesOf;

    private FourBitFormat(string name, IReadOnlyList<float> values, Func<Tensor, Tensor> codesOf)
    {
        Name = name;
        Values = values;
        _codesOf = codesOf;
        BytePairs = [.. Enumerable.Range(0, 256).SelectMany(b => new[] { values[b >> 4], values[b & 0x0F] })];
    }

    /// <summary>4-bit NormalFloat (QLoRA's <c>nf4</c>): quantiles of a normal distribution; the nearest value wins.</summary>
    public static FourBitFormat Nf4 { get; } = new(Quantizations.Nf4, Nf4Codebook.Values, normalized => BlockwiseCodes.NearestCodes(normalized, Nf4Codebook.Values));

    /// <summary>bitsandbytes' 4-bit float (<c>fp4</c>).</summary>
    public static FourBitFormat Fp4 { get; } = new(Quantizations.Fp4, Fp4Codebook.Values, Fp4Codebook.Codes);

    /// <summary>The spec's name for it (<see cref="Quantizations"/>).</summary>
    public string Name { get; }

    /// <summary>The value of each code, in code order.</summary>
    public IReadOnlyList<float> Values { get; }

    /// <summary>
    /// For every byte value b, the two values its codes stand for, high nibble first: <c>[Values[b / 16], Values[b % 16]]</c>,
    /// 256 × 2 row-major.
    /// </summary>
    internal float[] BytePairs { get; }

    /// <summary>The 4-bit format a spec's <c>Quantization</c> names; null for any other choice.</summary>
    public static FourBitFormat? ForQuantization(string quantization) => quantization switch
    {
        Quantizations.Nf4 => Nf4,
        Quantizations.Fp4 => Fp4,
        _ => null,
    };

    /// <summary>The code (any integer dtype) of every value of <paramref name="normalized"/>, each already in [-1, 1].</summary>
    internal Tensor Codes(Tensor normalized) => _codesOf(normalized);

    public override string ToString() => Name.ToUpperInvariant();
}
