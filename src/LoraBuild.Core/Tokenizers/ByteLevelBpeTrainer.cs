using System.Text;
using System.Text.RegularExpressions;

namespace LoraBuild.Core.Tokenizers;

/// <summary>
/// Learns a byte-level BPE vocabulary from a corpus: pre-tokenize with the GPT-2 pattern, start from the
/// 256 byte symbols and repeatedly merge the most frequent adjacent pair. Ties go to the ordinally smallest
/// pair, so the same corpus always gives the same vocabulary.
/// </summary>
/// <remarks>
/// With <c>splitDigits</c> every digit is cut out before the GPT-2 pattern runs, as Hugging Face's
/// <c>Digits(individual_digits=true)</c> pre-tokenizer does ahead of <c>ByteLevel</c>: a number is then always the same
/// digit tokens whatever precedes it, so a model can copy "48110" from " 48110" token by token.
/// </remarks>
public static partial class ByteLevelBpeTrainer
{
    /// <summary>The GPT-2 pre-tokenization pattern: contractions, letter runs, digit runs, punctuation runs, spaces.</summary>
    public const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static BpeVocabulary Train(IEnumerable<string> corpus, int vocabularySize, IReadOnlyList<string> specialTokens, bool splitDigits = false)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(specialTokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 256 + specialTokens.Count);

        var words = CountWords(corpus, splitDigits);
        var vocabulary = new List<string>(vocabularySize);
        for (var b = 0; b < 256; b++)
        {
            vocabulary.Add(ByteLevelAlphabet.ForByte((byte)b).ToString());
        }

        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        var merges = new List<(string Left, string Right)>();
        var budget = vocabularySize - specialTokens.Count;
        while (vocabulary.Count < budget)
        {
            var best = MostFrequentPair(words);
            if (best is null)
            {
                break;
            }

            var (left, right) = best.Value;
            merges.Add((left, right));
            if (known.Add(left + right))
            {
                // Two merge paths can spell the same token ("a"+"bc", "ab"+"c"); it keeps its first id.
                vocabulary.Add(left + right);
            }

            foreach (var word in words)
            {
                word.Merge(left, right);
            }
        }

        vocabulary.AddRange(specialTokens);
        return new BpeVocabulary(vocabulary, merges, specialTokens, splitDigits);
    }

    /// <summary>The pre-tokens of <paramref name="text"/>: GPT-2 pattern matches, after cutting out single digits when asked.</summary>
    public static IEnumerable<string> PreTokenize(string text, bool splitDigits)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = splitDigits ? SplitAroundDigits(text) : [text];
        foreach (var piece in pieces)
        {
            foreach (Match match in Gpt2Regex().Matches(piece))
            {
                yield return match.Value;
            }
        }
    }

    private static List<string> SplitAroundDigits(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        foreach (Match digit in DigitRegex().Matches(text))
        {
            if (digit.Index > start)
            {
                pieces.Add(text[start..digit.Index]);
            }

            pieces.Add(digit.Value);
            start = digit.Index + digit.Length;
        }

        if (start < text.Length)
        {
            pieces.Add(text[start..]);
        }

        return pieces;
    }

    private static List<Word> CountWords(IEnumerable<string> corpus, bool splitDigits)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var text in corpus)
        {
            foreach (var preToken in PreTokenize(text, splitDigits))
            {
                var symbols = ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(preToken));
                counts[symbols] = counts.GetValueOrDefault(symbols) + 1;
            }
        }

        return [.. counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new Word(kv.Key, kv.Value))];
    }

    private static (string, string)? MostFrequentPair(List<Word> words)
    {
        var counts = new Dictionary<(string, string), long>();
        foreach (var word in words)
        {
            for (var i = 0; i + 1 < word.Symbols.Count; i++)
            {
                var pair = (word.Symbols[i], word.Symbols[i + 1]);
                counts[pair] = counts.GetValueOrDefault(pair) + word.Count;
            }
        }

        (string, string)? best = null;
        long bestCount = 0;
        foreach (var (pair, count) in counts)
        {
            if (count > bestCount || (count == bestCount && best is { } current && Compare(pair, current) < 0))
            {
                best = pair;
                bestCount = count;
            }
        }

        return best;
    }

    private static int Compare((string Left, string Right) a, (string Left, string Right) b)
    {
        var left = string.CompareOrdinal(a.Left, b.Left);
        return left != 0 ? left : string.CompareOrdinal(a.Right, b.Right);
    }

    [GeneratedRegex(Gpt2Pattern)]
    private static partial Regex Gpt2Regex();

    [GeneratedRegex(@"\p{N}")]
    private static partial Regex DigitRegex();

    private sealed class Word(string symbols, long count)
    {
        public List<string> Symbols { get; } = [.. symbols.Select(c => c.ToString())];

        public long Count { get; } = count;

        public void Merge(string left, string right)
        {
            for (var i = 0; i + 1 < Symbols.Count; i++)
            {
                if (Symbols[i] == left && Symbols[i + 1] == right)
                {
                    Symbols[i] = left + right;
                    Symbols.RemoveAt(i + 1);
                }
            }
        }
    }
}
