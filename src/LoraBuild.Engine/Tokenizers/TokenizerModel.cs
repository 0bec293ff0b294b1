namespace LoraBuild.Engine.Tokenizers;

/// <summary>What a tokenizer file itself defines, before the configuration files add special-token settings.</summary>
/// <param name="SourceFile">The tokenizer file it was read from.</param>
/// <param name="Kind">The kind of tokenizer.</param>
/// <param name="Encoder">Encodes text between added tokens.</param>
/// <param name="Vocabulary">The model's vocabulary (token → id), without added tokens.</param>
/// <param name="AddedTokens">Tokens matched whole in the input.</param>
/// <param name="DecodingRules">How vocabulary entries decode to bytes.</param>
/// <param name="Template">The ids added around a sequence, or <see langword="null"/> when the file does not say.</param>
/// <param name="Defaults">The special tokens the file itself names; configuration files take precedence.</param>
internal sealed record TokenizerModel(
    string SourceFile,
    TokenizerKind Kind,
    ITextSegmentEncoder Encoder,
    IReadOnlyDictionary<string, int> Vocabulary,
    IReadOnlyList<AddedToken> AddedTokens,
    TokenDecodingRules DecodingRules,
    SpecialTokenTemplate? Template,
    SpecialTokenDefaults Defaults);

/// <summary>Special tokens named by the tokenizer file itself (SentencePiece trainer spec, BPE <c>unk_token</c>).</summary>
internal sealed record SpecialTokenDefaults(string? Bos = null, string? Eos = null, string? Unknown = null, string? Pad = null);
