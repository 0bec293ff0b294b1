using System.Runtime.InteropServices;
using static LoraBuild.Engine.Tokenizers.Normalization.NormalizationTables;

namespace LoraBuild.Engine.Tokenizers.Normalization;

/// <summary>
/// Reads <see cref="NormalizationTables"/> as of one Unicode version: the tables' own, or Unicode 9.0, in which the
/// characters assigned later have no normalization data (no decomposition, combining class 0, no composition), which is
/// exactly what they had then since decompositions, combining classes and composition exclusions are stable.
/// </summary>
internal readonly struct NormalizationData(bool unicode9)
{
    public const int CombiningClassMask = 0xFF;
    public const int QuickCheckC = 0x300;
    public const int QuickCheckKC = 0xC00;
    public const int HasCanonical = 0x4000;
    public const int HasCompatibility = 0x8000;
    private const int HasCompositions = 0x1000;
    private const int NewerThanUnicode9 = 0x2000;
    private const int NewerComposite = 0x8000;

    /// <summary>The header of the code point's record: combining class, quick checks and flags (0 when inert).</summary>
    public int Header(int codePoint) => Records[Record(codePoint)];

    public int CombiningClass(int codePoint) => Header(codePoint) & CombiningClassMask;

    /// <summary>The full canonical or compatibility decomposition; empty when the code point has none (or is Hangul).</summary>
    public ReadOnlySpan<char> Decomposition(int codePoint, bool compatibility)
    {
        var record = Record(codePoint);
        if ((Records[record] & (HasCanonical | HasCompatibility)) == 0)
        {
            return default;
        }

        var lengths = Records[record + 1];
        var canonicalLength = lengths & 0xF;
        var compatibilityLength = (lengths >> 4) & 0x1F;
        var units = compatibility && compatibilityLength != 0
            ? Records.Slice(record + 2 + canonicalLength, compatibilityLength)
            : Records.Slice(record + 2, canonicalLength);
        return MemoryMarshal.Cast<ushort, char>(units);
    }

    public bool TryCompose(int first, int second, out int composite)
    {
        if (Hangul.TryCompose(first, second, out composite))
        {
            return true;
        }

        var record = Record(first);
        if ((Records[record] & HasCompositions) != 0)
        {
            var lengths = Records[record + 1];
            var pairs = Records.Slice(record + 2 + (lengths & 0xF) + ((lengths >> 4) & 0x1F), (lengths >> 9) * 4);
            for (var i = 0; i < pairs.Length; i += 4)
            {
                var candidate = (pairs[i] << 16) | pairs[i + 1];
                if (candidate == second)
                {
                    var high = pairs[i + 2];
                    composite = ((high & ~NewerComposite) << 16) | pairs[i + 3];
                    return !unicode9 || (high & NewerComposite) == 0;
                }

                if (candidate > second)
                {
                    break;
                }
            }
        }

        composite = 0;
        return false;
    }

    private int Record(int codePoint)
    {
        if ((uint)codePoint >= Limit)
        {
            return 0;
        }

        int block2 = Stage1[codePoint >> Shift1];
        int block3 = Stage2[(block2 << (Shift1 - Shift2)) | ((codePoint >> Shift2) & ((1 << (Shift1 - Shift2)) - 1))];
        int record = Stage3[(block3 << Shift2) | (codePoint & ((1 << Shift2) - 1))];
        return unicode9 && (Records[record] & NewerThanUnicode9) != 0 ? 0 : record;
    }
}
