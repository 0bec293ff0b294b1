using System.Globalization;
using System.Text;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// .NET regular expressions see UTF-16 code units, so <c>\p{L}</c>, <c>\p{N}</c> or <c>.</c> never match a character
/// outside the basic plane (𝐀, 𝟓, 𠮷) as one character, while Hugging Face's Rust tokenizers match Unicode scalars.
/// A shadow of the text replaces each astral character with one basic-plane character of the same general category,
/// so a pattern that only tests categories (as pre-tokenizer patterns do) matches the shadow exactly as Rust matches
/// the text; <see cref="Offsets"/> maps shadow positions back.
/// </summary>
internal sealed class AstralShadow
{
    // One stand-in per general category, chosen outside ASCII so that no literal in a pre-tokenizer pattern
    // (apostrophe contractions, spaces, line breaks) can match it.
    private static readonly char[] s_standIns = BuildStandIns();

    private AstralShadow(string text, int[] offsets)
    {
        Text = text;
        Offsets = offsets;
    }

    /// <summary>The shadow: one character per Unicode scalar of the original.</summary>
    public string Text { get; }

    /// <summary>For each shadow position (and one past the end), the UTF-16 index in the original.</summary>
    public int[] Offsets { get; }

    /// <summary>The shadow of <paramref name="text"/>, or null when it has no astral character and needs none.</summary>
    public static AstralShadow? Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = -1;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (char.IsSurrogatePair(text[i], text[i + 1]))
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return null;
        }

        var shadow = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        for (var i = 0; i < text.Length;)
        {
            offsets.Add(i);
            if (i + 1 < text.Length && char.IsSurrogatePair(text[i], text[i + 1]))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(text[i], text[i + 1]));
                shadow.Append(s_standIns[(int)category]);
                i += 2;
            }
            else
            {
                shadow.Append(text[i]);
                i++;
            }
        }

        offsets.Add(text.Length);
        return new AstralShadow(shadow.ToString(), [.. offsets]);
    }

    /// <summary>Whether a pattern can be matched against a shadow: it names no astral character itself.</summary>
    public static bool Applies(string pattern) => !pattern.Any(char.IsSurrogate);

    private static char[] BuildStandIns()
    {
        var standIns = new char[(int)UnicodeCategory.OtherNotAssigned + 1];
        standIns[(int)UnicodeCategory.UppercaseLetter] = '\u03A9';      // Ω
        standIns[(int)UnicodeCategory.LowercaseLetter] = '\u03C9';      // ω
        standIns[(int)UnicodeCategory.TitlecaseLetter] = '\u01C5';      // ǅ
        standIns[(int)UnicodeCategory.ModifierLetter] = '\u02B0';       // ʰ
        standIns[(int)UnicodeCategory.OtherLetter] = '\u2135';          // ℵ
        standIns[(int)UnicodeCategory.NonSpacingMark] = '\u0300';
        standIns[(int)UnicodeCategory.SpacingCombiningMark] = '\u0903';
        standIns[(int)UnicodeCategory.EnclosingMark] = '\u20DD';
        standIns[(int)UnicodeCategory.DecimalDigitNumber] = '\u0660';   // Arabic-Indic zero
        standIns[(int)UnicodeCategory.LetterNumber] = '\u2160';         // Ⅰ
        standIns[(int)UnicodeCategory.OtherNumber] = '\u00B2';          // ²
        standIns[(int)UnicodeCategory.SpaceSeparator] = '\u3000';
        standIns[(int)UnicodeCategory.LineSeparator] = '\u2028';
        standIns[(int)UnicodeCategory.ParagraphSeparator] = '\u2029';
        standIns[(int)UnicodeCategory.Control] = '\u0080';
        standIns[(int)UnicodeCategory.Format] = '\u200B';
        standIns[(int)UnicodeCategory.Surrogate] = '\uFFFD';
        standIns[(int)UnicodeCategory.PrivateUse] = '\uE000';
        standIns[(int)UnicodeCategory.ConnectorPunctuation] = '\u203F'; // ‿
        standIns[(int)UnicodeCategory.DashPunctuation] = '\u2010';      // ‐
        standIns[(int)UnicodeCategory.OpenPunctuation] = '\u2045';      // ⁅
        standIns[(int)UnicodeCategory.ClosePunctuation] = '\u2046';     // ⁆
        standIns[(int)UnicodeCategory.InitialQuotePunctuation] = '\u2039';
        standIns[(int)UnicodeCategory.FinalQuotePunctuation] = '\u203A';
        standIns[(int)UnicodeCategory.OtherPunctuation] = '\u203B';     // ※
        standIns[(int)UnicodeCategory.MathSymbol] = '\u2200';           // ∀
        standIns[(int)UnicodeCategory.CurrencySymbol] = '\u20A0';
        standIns[(int)UnicodeCategory.ModifierSymbol] = '\u02C2';
        standIns[(int)UnicodeCategory.OtherSymbol] = '\u2302';          // ⌂
        standIns[(int)UnicodeCategory.OtherNotAssigned] = '\u0378';
        return standIns;
    }
}
