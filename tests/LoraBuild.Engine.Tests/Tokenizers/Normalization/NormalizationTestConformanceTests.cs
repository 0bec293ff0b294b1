using System.Text;
using LoraBuild.Engine.Tokenizers.Normalization;
using static LoraBuild.Engine.Tests.Tokenizers.Normalization.NormalizationFixtures;

namespace LoraBuild.Engine.Tests.Tokenizers.Normalization;

/// <summary>The sequences of the official NormalizationTest.txt (parts 0 and 2-5), and Hugging Face's results on them.</summary>
public sealed class NormalizationTestConformanceTests
{
    [Fact]
    public void TheLatestTablesPassTheOfficialConformanceTest()
    {
        var failures = new List<string>();
        var lines = NormalizationTestLines().ToList();
        foreach (var line in lines)
        {
            // UAX #15's conformance conditions: c2 = NFC(c1) = NFC(c2) = NFC(c3), c4 = NFC(c4) = NFC(c5), and so on.
            string[] columns = [line.Source, .. line.Forms];
            Check(line, NormalizationForm.FormC, line.Forms[0], columns[..3]);
            Check(line, NormalizationForm.FormC, line.Forms[2], columns[3..]);
            Check(line, NormalizationForm.FormD, line.Forms[1], columns[..3]);
            Check(line, NormalizationForm.FormD, line.Forms[3], columns[3..]);
            Check(line, NormalizationForm.FormKC, line.Forms[2], columns);
            Check(line, NormalizationForm.FormKD, line.Forms[3], columns);
        }

        Assert.True(lines.Count > 2800, $"only {lines.Count} lines read");
        Assert.True(failures.Count == 0, $"{failures.Count} failures: {string.Join("; ", failures.Take(10))}");

        void Check(NormalizationTestLine line, NormalizationForm form, string expected, string[] inputs)
        {
            foreach (var input in inputs)
            {
                var actual = UnicodeNormalizer.Latest.Normalize(input, form);
                if (actual != expected)
                {
                    failures.Add($"{line.Part} {Name(form)}({ToHex(input)}) = {ToHex(actual)}, expected {ToHex(expected)}");
                }
            }
        }
    }

    [Fact]
    public void TheUnicode9ViewNormalizesTheSequencesAsHuggingFaceDoes()
    {
        var failures = new List<string>();
        var differing = 0;
        foreach (var line in NormalizationTestLines())
        {
            var expected = line.Unicode9 ?? line.Forms;
            differing += line.Unicode9 is null ? 0 : 1;
            for (var i = 0; i < Forms.Length; i++)
            {
                var actual = UnicodeNormalizer.Unicode9.Normalize(line.Source, Forms[i]);
                if (actual != expected[i])
                {
                    failures.Add($"{line.Part} {Name(Forms[i])}({ToHex(line.Source)}) = {ToHex(actual)}, expected {ToHex(expected[i])}");
                }
            }
        }

        // Lines with marks or composites assigned after Unicode 9.0 (U+1DFA, U+11938, ...) normalize differently there.
        Assert.True(differing > 0, "no line differs in Unicode 9.0: the fixture is not what it claims");
        Assert.True(failures.Count == 0, $"{failures.Count} failures: {string.Join("; ", failures.Take(10))}");
    }
}
