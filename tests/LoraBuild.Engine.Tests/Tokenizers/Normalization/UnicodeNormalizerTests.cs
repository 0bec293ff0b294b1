using System.Text;
using LoraBuild.Engine.Tokenizers;
using LoraBuild.Engine.Tokenizers.Normalization;
using static LoraBuild.Engine.Tests.Tokenizers.Normalization.NormalizationFixtures;

namespace LoraBuild.Engine.Tests.Tokenizers.Normalization;

public sealed class UnicodeNormalizerTests
{
    public static TheoryData<NormalizationForm> AllForms() => new(Forms);

    [Theory]
    [MemberData(nameof(AllForms))]
    public void NoncharactersAndLoneSurrogatesPassThroughUnchanged(NormalizationForm form)
    {
        string[] texts =
        [
            "\uFFFE", "\uFFFF", "\uFDD0", "\uFDEF", "\uDBFF\uDFFF", "\uD83F\uDFFE", // U+10FFFF, U+1FFFE
            "\uD800", "\uDC00", "a\uDBFF", "\uDFFFa", "\uDC00\uD800", "x\u0327\uD800", "\uFFFE\u0327",
        ];
        foreach (var normalizer in new[] { UnicodeNormalizer.Latest, UnicodeNormalizer.Unicode9 })
        {
            foreach (var text in texts)
            {
                Assert.Same(text, normalizer.Normalize(text, form));
            }

            // Around them the text is still normalized; a mark after a lone surrogate has nothing to join.
            var composed = form is NormalizationForm.FormC or NormalizationForm.FormKC;
            Assert.Equal(composed ? "\uFFFEé\uD800" : "\uFFFEe\u0301\uD800", normalizer.Normalize("\uFFFEe\u0301\uD800", form));
            Assert.Equal(composed ? "\uDC00\u0301é" : "\uDC00\u0301e\u0301", normalizer.Normalize("\uDC00\u0301e\u0301", form));
        }
    }

    [Fact]
    public void TheTokenizerNormalizersMatchHuggingFaceOnNewCharacters()
    {
        // U+0898 (Unicode 14, class 230) is unassigned to Hugging Face's tables, so it is not reordered past U+0316 there.
        Assert.Equal("a\u0898\u0316", UnicodeNormalization.Normalize("a\u0898\u0316", NormalizationForm.FormD));
        Assert.Equal("a\u0316\u0898", UnicodeNormalizer.Latest.Normalize("a\u0898\u0316", NormalizationForm.FormD));
        Assert.Equal("é\uFFFE", UnicodeNormalization.Normalize("e\u0301\uFFFE", NormalizationForm.FormC));
        Assert.Equal("fi", UnicodeNormalization.Normalize("\uFB01", NormalizationForm.FormKC));
    }

    [Theory]
    [MemberData(nameof(AllForms))]
    public void TextAlreadyInTheFormIsReturnedAsItIs(NormalizationForm form)
    {
        foreach (var text in new[] { string.Empty, "plain ASCII text", "中文 мир 😀 עברית" })
        {
            Assert.Same(text, UnicodeNormalizer.Latest.Normalize(text, form));
        }
    }

    [Fact]
    public void HangulSyllablesDecomposeAndComposeArithmetically()
    {
        // 한 = U+1112 U+1161 U+11AB; an LV syllable does not take U+11A7, which is not a trailing consonant.
        Assert.Equal("\u1112\u1161\u11AB", UnicodeNormalizer.Latest.Normalize("한", NormalizationForm.FormD));
        Assert.Equal("한", UnicodeNormalizer.Latest.Normalize("\u1112\u1161\u11AB", NormalizationForm.FormC));
        Assert.Equal("한", UnicodeNormalizer.Latest.Normalize("하\u11AB", NormalizationForm.FormC));
        Assert.Equal("\uC8E0\u11A7", UnicodeNormalizer.Latest.Normalize("\uC8E0\u11A7", NormalizationForm.FormC));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(400)]
    public void MarksAreOrderedStablyByCombiningClassInRunsOfAnyLength(int repeats)
    {
        // Classes: U+0334 1, U+0316 220, U+0301 and U+0302 230.
        var marks = string.Concat(Enumerable.Repeat("\u0301\u0316\u0334\u0302", repeats));
        int Class(char mark) => mark switch { '\u0334' => 1, '\u0316' => 220, _ => 230 };
        var ordered = string.Concat(marks.OrderBy(Class));

        Assert.Equal("a" + ordered, UnicodeNormalizer.Latest.Normalize("a" + marks, NormalizationForm.FormD));
        // a joins the first class-230 mark, U+0301: nothing between them has class 230 or more.
        Assert.Equal("á" + ordered.Remove(ordered.IndexOf('\u0301', StringComparison.Ordinal), 1), UnicodeNormalizer.Latest.Normalize("a" + marks, NormalizationForm.FormC));
    }

    [Fact]
    public void RandomTextNormalizesConsistently()
    {
        string[] pieces =
        [
            "a", "e", "A", " ", "\u0301", "\u0316", "\u0334", "\u0345", "\u0313", "α", "ω", "\u1100", "\u1161", "\u11A8",
            "\uAC00", "\u0B47", "\u0B3E", "\u0B57", "\uFB01", "\u00BD", "\u1E9B", "\u0344", "\u2126", "\uFFFE", "\uD800",
            "\uDC00", "\U0001D400", "\U00011099", "\U000110BA", "\U00011935", "\U00011930", "\u0898", "\u1DFA", "\uFDFA",
        ];
        var random = new Random(15);
        foreach (var normalizer in new[] { UnicodeNormalizer.Latest, UnicodeNormalizer.Unicode9 })
        {
            for (var n = 0; n < 2000; n++)
            {
                var text = new StringBuilder();
                for (var k = random.Next(1, 12); k > 0; k--)
                {
                    text.Append(pieces[random.Next(pieces.Length)]);
                }

                var input = text.ToString();
                var nfd = normalizer.Normalize(input, NormalizationForm.FormD);
                var nfkd = normalizer.Normalize(input, NormalizationForm.FormKD);
                var nfc = normalizer.Normalize(input, NormalizationForm.FormC);
                var nfkc = normalizer.Normalize(input, NormalizationForm.FormKC);
                Assert.Equal(nfc, normalizer.Normalize(nfd, NormalizationForm.FormC));
                Assert.Equal(nfkc, normalizer.Normalize(nfkd, NormalizationForm.FormC));
                Assert.Equal(nfd, normalizer.Normalize(nfc, NormalizationForm.FormD));
                foreach (var (form, once) in new[] { (NormalizationForm.FormC, nfc), (NormalizationForm.FormD, nfd), (NormalizationForm.FormKC, nfkc), (NormalizationForm.FormKD, nfkd) })
                {
                    Assert.Same(once, normalizer.Normalize(once, form));
                }
            }
        }
    }

    [Fact]
    public void AnUnknownFormIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => UnicodeNormalizer.Latest.Normalize("a", (NormalizationForm)3));
    }
}
