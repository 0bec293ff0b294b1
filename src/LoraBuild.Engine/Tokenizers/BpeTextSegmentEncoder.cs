using System.Collections.Concurrent;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Encodes text for a BPE tokenizer.json: the normalizer, the pre-tokenizer, then <see cref="BpeMerger"/> on each
/// word (in byte-level symbols when the model is byte-level). Words up to 256 characters are remembered (at most
/// 10,000 of them), as Hugging Face's implementation does, since text repeats its words.
/// </summary>
internal sealed class BpeTextSegmentEncoder : ITextSegmentEncoder
{
    private const int CachedWordLength = 256;
    private const int CacheCapacity = 10_000;

    private readonly BpeMerger _merger;
    private readonly TextNormalizer _normalizer;
    private readonly PreTokenizerPipeline _preTokenizer;
    private readonly bool _byteLevel;
    private readonly IReadOnlyDictionary<string, int>? _wholeWordVocabulary;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);

    public BpeTextSegmentEncoder(
        BpeMerger merger,
        TextNormalizer normalizer,
        PreTokenizerPipeline preTokenizer,
        bool byteLevel,
        IReadOnlyDictionary<string, int>? wholeWordVocabulary)
    {
        _merger = merger;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _byteLevel = byteLevel;
        _wholeWordVocabulary = wholeWordVocabulary;
    }

    public void Encode(string text, bool startsInput, List<int> ids)
    {
        var normalized = _normalizer.Normalize(text);
        foreach (var word in _preTokenizer.Split(normalized, startsInput))
        {
            var symbols = _byteLevel ? ByteLevelSymbols.Encode(word) : word;
            if (_wholeWordVocabulary is not null && _wholeWordVocabulary.TryGetValue(symbols, out var wordId))
            {
                // ignore_merges: a word that is itself in the vocabulary is one token, whatever the merges say.
                ids.Add(wordId);
                continue;
            }

            if (symbols.Length > CachedWordLength)
            {
                _merger.Encode(symbols, ids);
                continue;
            }

            if (!_cache.TryGetValue(symbols, out var cached))
            {
                var wordIds = new List<int>();
                _merger.Encode(symbols, wordIds);
                cached = [.. wordIds];
                if (_cache.Count >= CacheCapacity)
                {
                    _cache.Clear();
                }

                _cache[symbols] = cached;
            }

            ids.AddRange(cached);
        }
    }
}
