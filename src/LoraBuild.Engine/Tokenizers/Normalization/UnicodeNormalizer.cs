using System.Text;
using static LoraBuild.Engine.Tokenizers.Normalization.NormalizationData;

namespace LoraBuild.Engine.Tokenizers.Normalization;

/// <summary>
/// Unicode normalization (UAX #15: NFC, NFD, NFKC, NFKD) from the engine's own tables, so that results depend neither on
/// ICU being present (under invariant globalization <see cref="string.Normalize()"/> does nothing) nor on its version.
/// Any text is accepted: noncharacters and lone surrogates are left as they are.
/// </summary>
internal sealed class UnicodeNormalizer
{
    /// <summary>Segments longer than this leave their buffer to the garbage collector rather than to the thread.</summary>
    private const int RetainedCapacity = 1 << 16;

    [ThreadStatic]
    private static NormalizationBuffer? t_buffer;

    private readonly NormalizationData _data;

    private UnicodeNormalizer(bool unicode9, string unicodeVersion)
    {
        _data = new NormalizationData(unicode9);
        UnicodeVersion = unicodeVersion;
    }

    /// <summary>The character data of <see cref="NormalizationTables.UnicodeVersion"/>, as ICU of that version has.</summary>
    public static UnicodeNormalizer Latest { get; } = new(unicode9: false, NormalizationTables.UnicodeVersion);

    /// <summary>
    /// The character data of Unicode 9.0, which Hugging Face's tokenizers normalize with (their Rust crate
    /// unicode-normalization-alignments 0.1.12 has Unicode 9.0 tables): characters assigned since are left as they are.
    /// </summary>
    public static UnicodeNormalizer Unicode9 { get; } = new(unicode9: true, "9.0.0");

    public string UnicodeVersion { get; }

    /// <summary>The text in the form; the same instance when it is already in it.</summary>
    public string Normalize(string text, NormalizationForm form)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (firstUnstable, unstable, compatibility, compose) = form switch
        {
            NormalizationForm.FormC => (NormalizationTables.FirstUnstableC, CombiningClassMask | QuickCheckC, false, true),
            NormalizationForm.FormD => (NormalizationTables.FirstUnstableD, CombiningClassMask | HasCanonical, false, false),
            NormalizationForm.FormKC => (NormalizationTables.FirstUnstableKC, CombiningClassMask | QuickCheckKC, true, true),
            NormalizationForm.FormKD => (NormalizationTables.FirstUnstableKD, CombiningClassMask | HasCanonical | HasCompatibility, true, false),
            _ => throw new ArgumentOutOfRangeException(nameof(form), form, "Not a Unicode normalization form."),
        };

        var span = text.AsSpan();
        var below = (char)(firstUnstable - 1);
        var i = span.IndexOfAnyExceptInRange('\0', below);
        if (i < 0)
        {
            return text;
        }

        // Text splits into segments before each stable character (class 0, quick check Yes): nothing reorders or composes
        // across such a boundary, so each segment that holds an unstable character is normalized on its own.
        StringBuilder? result = null;
        var copied = 0;
        var segmentStart = Math.Max(i - 1, 0);
        var buffer = t_buffer ??= new NormalizationBuffer();
        while (i < span.Length)
        {
            if (span[i] <= below)
            {
                var next = span[i..].IndexOfAnyExceptInRange('\0', below);
                if (next < 0)
                {
                    break;
                }

                i += next;
                segmentStart = i - 1;
                continue;
            }

            var (codePoint, length) = CodePoints.At(span, i);
            if ((_data.Header(codePoint) & unstable) == 0)
            {
                segmentStart = i;
                i += length;
                continue;
            }

            var end = i + length;
            while (end < span.Length)
            {
                (codePoint, length) = CodePoints.At(span, end);
                if ((_data.Header(codePoint) & unstable) == 0)
                {
                    break;
                }

                end += length;
            }

            var segment = span[segmentStart..end];
            var normalized = buffer.Normalize(segment, _data, compatibility, compose);
            if (!normalized.SequenceEqual(segment))
            {
                result ??= new StringBuilder(text.Length + 16);
                result.Append(span[copied..segmentStart]).Append(normalized);
                copied = end;
            }

            i = end;
            segmentStart = end;
        }

        if (buffer.Capacity > RetainedCapacity)
        {
            t_buffer = null;
        }

        return result is null ? text : result.Append(span[copied..]).ToString();
    }
}
