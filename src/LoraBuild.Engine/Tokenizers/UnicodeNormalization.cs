using System.Text;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Unicode normalization that, like Hugging Face's Rust tokenizers, accepts any text: .NET's
/// <see cref="string.Normalize(NormalizationForm)"/> refuses noncharacters such as U+FFFE and lone surrogates, which
/// normalization leaves unchanged anyway (they decompose to themselves, combine with nothing and have combining
/// class 0). So the text is normalized in runs between such characters, which are kept as they are.
/// </summary>
internal static class UnicodeNormalization
{
    public static string Normalize(string text, NormalizationForm form)
    {
        try
        {
            return text.Normalize(form);
        }
        catch (ArgumentException)
        {
            return NormalizeAroundRefused(text, form);
        }
    }

    private static string NormalizeAroundRefused(string text, NormalizationForm form)
    {
        var result = new StringBuilder(text.Length);
        var runStart = 0;
        for (var i = 0; i < text.Length;)
        {
            var length = i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1]) ? 2 : 1;
            if (IsRefused(text.AsSpan(i, length)))
            {
                result.Append(text.AsSpan(runStart, i - runStart).ToString().Normalize(form));
                result.Append(text, i, length);
                runStart = i + length;
            }

            i += length;
        }

        result.Append(text.AsSpan(runStart).ToString().Normalize(form));
        return result.ToString();
    }

    /// <summary>A lone surrogate or a noncharacter (U+FDD0–U+FDEF, and the last two code points of every plane).</summary>
    private static bool IsRefused(ReadOnlySpan<char> scalar)
    {
        if (scalar.Length == 1 && char.IsSurrogate(scalar[0]))
        {
            return true;
        }

        var value = scalar.Length == 2 ? char.ConvertToUtf32(scalar[0], scalar[1]) : scalar[0];
        return value is >= 0xFDD0 and <= 0xFDEF || (value & 0xFFFE) == 0xFFFE;
    }
}
