namespace LoraBuild.Core.Data;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, 2014, with the constants of Vigna's reference implementation): a small,
/// fully specified 64-bit generator, so shuffles depend only on the seed and never on the .NET version's
/// <see cref="Random"/>. Each step adds the golden-ratio increment <c>0x9E3779B97F4A7C15</c> to the state and
/// returns <see cref="Mix"/> of the new state.
/// </summary>
public sealed class SplitMix64
{
    private const ulong GoldenGamma = 0x9E3779B97F4A7C15;
    private ulong _state;

    /// <param name="seed">Any value; equal seeds give equal sequences.</param>
    public SplitMix64(ulong seed)
    {
        _state = seed;
    }

    /// <summary>
    /// The seed of an independent stream for one purpose (an epoch, a split): the mix of the seed with the mixed
    /// stream number. Plain <c>seed + stream</c> would not do, since SplitMix64 streams whose seeds differ by a
    /// multiple of the increment are the same sequence shifted.
    /// </summary>
    public static ulong DeriveSeed(ulong seed, ulong stream) => Mix(seed ^ Mix(stream + GoldenGamma));

    /// <summary>SplitMix64's output function (a variant of MurmurHash3's 64-bit finalizer).</summary>
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EB;
        return value ^ (value >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        _state += GoldenGamma;
        return Mix(_state);
    }

    /// <summary>
    /// A uniform integer in <c>[0, exclusiveMax)</c>, without modulo bias (Lemire's multiply-and-reject method:
    /// the high word of <c>random × bound</c>, redrawing the rare low words that would favour some results).
    /// </summary>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        var bound = (ulong)exclusiveMax;
        var high = Math.BigMul(NextUInt64(), bound, out var low);
        if (low < bound)
        {
            var threshold = (0 - bound) % bound;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), bound, out low);
            }
        }

        return (int)high;
    }

    /// <summary>Shuffles in place with Fisher–Yates, drawing from the last position down.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
