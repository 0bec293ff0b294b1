using LoraBuild.Core.Diagnostics;
using Microsoft.ML.Tokenizers;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Reads a SentencePiece <c>tokenizer.model</c> (BPE or Unigram protobuf) with Microsoft.ML.Tokenizers'
/// <see cref="SentencePieceTokenizer"/>; used when a model directory has no tokenizer.json.
/// </summary>
internal static class SentencePieceModelLoader
{
    private const string MetaspaceSymbol = "\u2581";

    public static TokenizerModel Load(string file)
    {
        SentencePieceTokenizer tokenizer;
        try
        {
            using var stream = File.OpenRead(file);
            tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new LoraException(
                TokenizerErrorCodes.InvalidSentencePieceModel,
                $"'{Path.GetFileName(file)}' is not a usable SentencePiece model: {e.Message}",
                file,
                e);
        }

        if (tokenizer.TreatWhitespaceAsSuffix)
        {
            throw new LoraException(
                TokenizerErrorCodes.InvalidSentencePieceModel,
                $"'{Path.GetFileName(file)}' treats whitespace as a suffix, which is not supported.",
                file);
        }

        var vocabulary = tokenizer.Vocabulary;
        var rules = new TokenDecodingRules
        {
            ByteFallback = tokenizer.ByteFallback,
            Replacements = tokenizer.EscapeWhiteSpaces ? [(MetaspaceSymbol, " ")] : [],
            StripCount = tokenizer.AddDummyPrefix ? 1 : 0,
        };
        var defaults = new SpecialTokenDefaults(
            Bos: PieceAt(vocabulary, tokenizer.BeginningOfSentenceToken, tokenizer.BeginningOfSentenceId),
            Eos: PieceAt(vocabulary, tokenizer.EndOfSentenceToken, tokenizer.EndOfSentenceId),
            Unknown: PieceAt(vocabulary, tokenizer.UnknownToken, tokenizer.UnknownId));
        return new TokenizerModel(
            file,
            TokenizerKind.SentencePieceModel,
            new SentencePieceTextSegmentEncoder(tokenizer),
            vocabulary,
            AddedTokens: [],
            rules,
            Template: null,
            defaults);
    }

    /// <summary>The piece the trainer spec names, when it really is in the vocabulary at that id (ids of -1 mean "none").</summary>
    private static string? PieceAt(IReadOnlyDictionary<string, int> vocabulary, string piece, int id) =>
        vocabulary.TryGetValue(piece, out int actual) && actual == id ? piece : null;

    private sealed class SentencePieceTextSegmentEncoder(SentencePieceTokenizer tokenizer) : ITextSegmentEncoder
    {
        public void Encode(string text, bool startsInput, List<int> ids) =>
            ids.AddRange(tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false));
    }
}
