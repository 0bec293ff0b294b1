using System.Text;
using static LoraBuild.Engine.Tests.Tokenizers.Normalization.NormalizationFixtures;

namespace LoraBuild.Engine.Tests.Tokenizers.Normalization;

/// <summary>
/// Every code point, U+0000 to U+10FFFF but the surrogates, in all four forms: the tables agree with Node's ICU (but
/// for the characters its newer Unicode has and they do not) and their Unicode 9.0 view with Hugging Face's Rust
/// tokenizers, on every code point (digests of each block of 256, see the fixture).
/// </summary>
public sealed class CodePointConformanceTests
{
    public static TheoryData<string, NormalizationForm> Cases()
    {
        var cases = new TheoryData<string, NormalizationForm>();
        foreach (var view in new[] { "icu", "unicode9" })
        {
            foreach (var form in Forms)
            {
                cases.Add(view, form);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryCodePointNormalizesAsTheReferenceDoes(string view, NormalizationForm form)
    {
        var normalizer = Normalizer(view);
        var digests = BlockDigests(view, form);
        var skipped = Skipped(view);
        var failures = new List<string>();
        var block = new StringBuilder();
        for (var start = 0; start < 0x110000; start += BlockSize)
        {
            block.Clear();
            var changed = new List<string>();
            for (var codePoint = start; codePoint < start + BlockSize; codePoint++)
            {
                if (codePoint is >= 0xD800 and <= 0xDFFF || skipped.Contains(codePoint))
                {
                    continue;
                }

                var text = char.ConvertFromUtf32(codePoint);
                var normalized = normalizer.Normalize(text, form);
                block.Append(normalized).Append('\n');
                if (normalized != text && changed.Count < 3)
                {
                    changed.Add($"U+{codePoint:X4} → {ToHex(normalized)}");
                }
            }

            var expected = digests.GetValueOrDefault(start);
            var actual = changed.Count == 0 ? null : Digest(block.ToString());
            if (expected != actual)
            {
                failures.Add($"block U+{start:X4}: expected {expected ?? "unchanged"}, got {actual ?? "unchanged"} ({string.Join(", ", changed)})");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} blocks differ: {string.Join("; ", failures.Take(10))}");
    }
}
