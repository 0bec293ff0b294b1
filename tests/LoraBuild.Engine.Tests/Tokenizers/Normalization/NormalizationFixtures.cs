using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LoraBuild.Engine.Tokenizers.Normalization;

namespace LoraBuild.Engine.Tests.Tokenizers.Normalization;

/// <summary>
/// The fixtures build/unicode/generate.mjs wrote beside these tests: what Node's ICU ("icu", checked against
/// <see cref="UnicodeNormalizer.Latest"/>) and Hugging Face's Rust tokenizers ("unicode9", checked against
/// <see cref="UnicodeNormalizer.Unicode9"/>) make of every code point and of the official NormalizationTest sequences.
/// </summary>
internal static class NormalizationFixtures
{
    public const int BlockSize = 256;

    public static readonly NormalizationForm[] Forms =
        [NormalizationForm.FormC, NormalizationForm.FormD, NormalizationForm.FormKC, NormalizationForm.FormKD];

    private static readonly string s_folder = Path.Combine(FindRoot(), "tests", "LoraBuild.Engine.Tests", "Tokenizers", "Normalization");

    public static UnicodeNormalizer Normalizer(string view) => view switch
    {
        "icu" => UnicodeNormalizer.Latest,
        "unicode9" => UnicodeNormalizer.Unicode9,
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, null),
    };

    public static string Name(NormalizationForm form) => form switch
    {
        NormalizationForm.FormC => "NFC",
        NormalizationForm.FormD => "NFD",
        NormalizationForm.FormKC => "NFKC",
        _ => "NFKD",
    };

    /// <summary>Block start → digest, for the blocks that the view's form changes.</summary>
    public static Dictionary<int, string> BlockDigests(string view, NormalizationForm form)
    {
        var digests = new Dictionary<int, string>();
        foreach (var line in DataLines("CodePointDigests.txt"))
        {
            var fields = line.Split(' ');
            if (fields[0] == view && fields[1] == Name(form) && fields[2] != "skip")
            {
                digests.Add(int.Parse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture), fields[3]);
            }
        }

        return digests;
    }

    /// <summary>The code points the view's reference was not compared on: its newer Unicode assigns them, the tables not.</summary>
    public static HashSet<int> Skipped(string view)
    {
        var skipped = new HashSet<int>();
        foreach (var line in DataLines("CodePointDigests.txt"))
        {
            var fields = line.Split(' ');
            if (fields[0] == view && fields[1] == "skip")
            {
                var first = int.Parse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var last = int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                skipped.UnionWith(Enumerable.Range(first, last - first + 1));
            }
        }

        return skipped;
    }

    public static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    /// <summary>The NormalizationTest lines: source, its four forms, and what Unicode 9.0 makes of it (null: the same).</summary>
    public static IEnumerable<NormalizationTestLine> NormalizationTestLines()
    {
        var part = string.Empty;
        foreach (var line in DataLines("NormalizationTest.txt"))
        {
            if (line.StartsWith('@'))
            {
                part = line;
                continue;
            }

            var fields = line.Split(';');
            var source = FromHex(fields[0]);
            var forms = Expand(source, fields.AsSpan(1, 4));
            var unicode9 = fields.Length > 5 ? Expand(source, fields.AsSpan(5, 4)) : null;
            yield return new NormalizationTestLine(part, source, forms, unicode9);
        }
    }

    /// <summary>An empty field is what it usually equals: NFC the source, NFD and NFKC the NFC, NFKD the NFD.</summary>
    private static string[] Expand(string source, ReadOnlySpan<string> fields)
    {
        var nfc = fields[0].Length == 0 ? source : FromHex(fields[0]);
        var nfd = fields[1].Length == 0 ? nfc : FromHex(fields[1]);
        var nfkc = fields[2].Length == 0 ? nfc : FromHex(fields[2]);
        var nfkd = fields[3].Length == 0 ? nfd : FromHex(fields[3]);
        return [nfc, nfd, nfkc, nfkd];
    }

    public static string FromHex(string codePoints) => string.Concat(
        codePoints.Split(' ').Select(hex => char.ConvertFromUtf32(int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));

    public static string ToHex(string text)
    {
        var parts = new List<string>();
        for (var i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
        {
            var codePoint = char.IsSurrogatePair(text, i) ? char.ConvertToUtf32(text, i) : text[i];
            parts.Add(codePoint.ToString("X4", CultureInfo.InvariantCulture));
        }

        return string.Join(' ', parts);
    }

    private static IEnumerable<string> DataLines(string file) =>
        File.ReadLines(Path.Combine(s_folder, file)).Where(line => line.Length > 0 && !line.StartsWith('#'));

    private static string FindRoot()
    {
        for (var folder = AppContext.BaseDirectory; folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(Path.Combine(folder, "LoraBuild.sln")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"No LoraBuild.sln above {AppContext.BaseDirectory}.");
    }
}

internal sealed record NormalizationTestLine(string Part, string Source, string[] Forms, string[]? Unicode9);
