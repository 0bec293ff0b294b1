namespace LoraBuild.Engine.Tokenizers.Normalization;

/// <summary>Hangul syllables decompose into and compose from conjoining jamo arithmetically (Unicode 3.12).</summary>
internal static class Hangul
{
    private const int SBase = 0xAC00;
    private const int LBase = 0x1100;
    private const int VBase = 0x1161;
    private const int TBase = 0x11A7;
    private const int LCount = 19;
    private const int VCount = 21;
    private const int TCount = 28;
    private const int NCount = VCount * TCount;
    private const int SCount = LCount * NCount;

    public static bool IsSyllable(int codePoint) => (uint)(codePoint - SBase) < SCount;

    /// <summary>Writes the two or three jamo of a syllable and returns how many.</summary>
    public static int Decompose(int syllable, Span<int> jamo)
    {
        var index = syllable - SBase;
        jamo[0] = LBase + (index / NCount);
        jamo[1] = VBase + (index % NCount / TCount);
        var trailing = index % TCount;
        if (trailing == 0)
        {
            return 2;
        }

        jamo[2] = TBase + trailing;
        return 3;
    }

    /// <summary>A leading consonant and a vowel make an LV syllable; an LV syllable and a trailing consonant an LVT one.</summary>
    public static bool TryCompose(int first, int second, out int composite)
    {
        var l = first - LBase;
        var v = second - VBase;
        if ((uint)l < LCount && (uint)v < VCount)
        {
            composite = SBase + (((l * VCount) + v) * TCount);
            return true;
        }

        var s = first - SBase;
        var t = second - TBase;
        // TBase itself (U+11A7) is not a trailing consonant: an LV syllable does not compose with it.
        if ((uint)s < SCount && s % TCount == 0 && t > 0 && t < TCount)
        {
            composite = first + t;
            return true;
        }

        composite = 0;
        return false;
    }
}
