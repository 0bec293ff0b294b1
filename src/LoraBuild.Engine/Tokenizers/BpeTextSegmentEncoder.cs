using System.Text;
using Microsoft.ML.Tokenizers;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Encodes text for a BPE tokenizer.json: normalizer and pre-tokenizer here, merges by Microsoft.ML.Tokenizers'
/// <see cref="BpeTokenizer"/>. The library only knows one unknown token, so it is given a private marker instead,
/// and each marked character is then turned into <c>&lt;0xNN&gt;</c> byte tokens (byte fallback) or the model's
/// unknown token (fused when <c>fuse_unk</c>), or dropped when the model has neither, as Hugging Face does.
/// </summary>
internal sealed class BpeTextSegmentEncoder : ITextSegmentEncoder
{
    /// <summary>The stand-in unknown token handed to the library; it can never be looked up from input text.</summary>
    internal const string UnknownMarker = "\u0000lorabuild:unknown\u0000";
    internal const int UnknownMarkerId = int.MaxValue;

    private readonly BpeTokenizer _bpe;
    private readonly TextNormalizer _normalizer;
    private readonly PreTokenizerPipeline _preTokenizer;
    private readonly int? _unknownId;
    private readonly bool _fuseUnknown;
    private readonly int[]? _byteTokenIds;
    private readonly IReadOnlyDictionary<string, int>? _wholeWordVocabulary;

    public BpeTextSegmentEncoder(
        BpeTokenizer bpe,
        TextNormalizer normalizer,
        PreTokenizerPipeline preTokenizer,
        int? unknownId,
        bool fuseUnknown,
        int[]? byteTokenIds,
        IReadOnlyDictionary<string, int>? wholeWordVocabulary)
    {
        _bpe = bpe;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _unknownId = unknownId;
        _fuseUnknown = fuseUnknown;
        _byteTokenIds = byteTokenIds;
        _wholeWordVocabulary = wholeWordVocabulary;
    }

    public void Encode(string text, bool startsInput, List<int> ids)
    {
        string normalized = _normalizer.Normalize(text);
        foreach (string word in _preTokenizer.Split(normalized, startsInput))
        {
            if (_wholeWordVocabulary is not null && TryGetWholeWord(word, out int wordId))
            {
                ids.Add(wordId);
                continue;
            }

            var wordIds = _bpe.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false);
            if (wordIds.Contains(UnknownMarkerId))
            {
                AddWithUnknownCharacters(word, ids);
            }
            else
            {
                ids.AddRange(wordIds);
            }
        }
    }

    /// <summary><c>ignore_merges</c>: a word that is itself in the vocabulary is one token, whatever the merges say.</summary>
    private bool TryGetWholeWord(string word, out int id)
    {
        string key = _preTokenizer.UsesByteLevel ? ByteLevelSymbols.Encode(word) : word;
        return _wholeWordVocabulary!.TryGetValue(key, out id);
    }

    private void AddWithUnknownCharacters(string word, List<int> ids)
    {
        var tokens = _bpe.EncodeToTokens(word, out _, considerPreTokenization: false, considerNormalization: false);
        bool previousWasUnknown = false;
        foreach (var token in tokens)
        {
            if (token.Id != UnknownMarkerId)
            {
                ids.Add(token.Id);
                previousWasUnknown = false;
                continue;
            }

            if (_byteTokenIds is not null)
            {
                foreach (byte b in Encoding.UTF8.GetBytes(word[token.Offset]))
                {
                    ids.Add(_byteTokenIds[b]);
                }
            }
            else if (_unknownId is int unknownId && !(_fuseUnknown && previousWasUnknown))
            {
                ids.Add(unknownId);
            }

            previousWasUnknown = true;
        }
    }
}
