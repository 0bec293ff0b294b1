namespace LoraBuild.Engine.Tokenizers;

/// <summary>Error codes raised while loading or using a model's tokenizer (range LORA2050–LORA2079).</summary>
public static class TokenizerErrorCodes
{
    /// <summary>The model directory does not exist, or holds neither <c>tokenizer.json</c> nor <c>tokenizer.model</c>.</summary>
    public const string TokenizerFilesMissing = "LORA2050";

    /// <summary>A tokenizer or model configuration file (<c>tokenizer.json</c>, <c>tokenizer_config.json</c>,
    /// <c>special_tokens_map.json</c>, <c>config.json</c>, <c>generation_config.json</c>) is not valid JSON.</summary>
    public const string MalformedJson = "LORA2051";

    /// <summary><c>tokenizer.json</c> uses a model other than BPE (for example WordPiece, Unigram or WordLevel).</summary>
    public const string UnsupportedModelType = "LORA2052";

    /// <summary><c>tokenizer.json</c> is valid JSON but a field is missing or malformed (vocabulary, merges, added tokens,
    /// post-processor), or the merges refer to tokens that are not in the vocabulary.</summary>
    public const string InvalidTokenizerDefinition = "LORA2053";

    /// <summary><c>tokenizer.json</c> uses a normalizer, pre-tokenizer, post-processor or decoder, or an option of one,
    /// that LoraBuild does not implement.</summary>
    public const string UnsupportedComponent = "LORA2054";

    /// <summary><c>tokenizer.model</c> is not a readable SentencePiece model, or its model type is not BPE or Unigram.</summary>
    public const string InvalidSentencePieceModel = "LORA2055";

    /// <summary>A special token named in a configuration file (bos, eos, pad, unk) is not in the tokenizer's vocabulary,
    /// or <c>add_bos_token</c>/<c>add_eos_token</c> is set without a token to add.</summary>
    public const string UnknownSpecialToken = "LORA2056";

    /// <summary>A special-token setting (<c>bos_token</c>, <c>eos_token_id</c>, <c>add_bos_token</c>, <c>added_tokens_decoder</c> …)
    /// has a JSON type that cannot be understood.</summary>
    public const string InvalidSpecialTokenSetting = "LORA2057";
}
