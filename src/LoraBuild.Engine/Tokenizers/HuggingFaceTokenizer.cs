using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// The tokenizer of a model directory in Hugging Face layout: <c>tokenizer.json</c> (BPE, byte-level or
/// SentencePiece-style) or else <c>tokenizer.model</c> (SentencePiece), with special tokens from
/// <c>tokenizer_config.json</c>, <c>special_tokens_map.json</c>, <c>config.json</c> and <c>generation_config.json</c>.
/// Merging is done by Microsoft.ML.Tokenizers; instances are immutable.
/// </summary>
public sealed class HuggingFaceTokenizer
{
    private readonly ITextSegmentEncoder _encoder;
    private readonly AddedTokenMatcher _addedTokens;
    private readonly TokenPieceTable _pieces;
    private readonly Dictionary<string, int> _tokenToId;
    private readonly string?[] _idToToken;
    private readonly int[] _prefix;
    private readonly int[] _suffix;
    private readonly bool _cleanUpTokenizationSpaces;

    private HuggingFaceTokenizer(TokenizerModel model, SpecialTokenConfiguration configuration)
    {
        Kind = model.Kind;
        SourceFile = model.SourceFile;
        _encoder = model.Encoder;

        var addedTokens = MergeAddedTokens(model.AddedTokens, configuration.AddedTokens);
        _tokenToId = new Dictionary<string, int>(model.Vocabulary, StringComparer.Ordinal);
        foreach (var token in addedTokens)
        {
            _tokenToId[token.Content] = token.Id;
        }

        var special = SpecialTokenResolver.Resolve(configuration, model, TokenToId);
        BosTokenId = special.Bos;
        EosTokenId = special.Eos;
        EosTokenIds = special.EosIds;
        PadTokenId = special.Pad;
        UnknownTokenId = special.Unknown;

        var matchedWhole = MergeAddedTokens(addedTokens, special.NamedTokens);
        _addedTokens = new AddedTokenMatcher(matchedWhole);
        _pieces = new TokenPieceTable(model.Vocabulary, matchedWhole, model.DecodingRules);
        _cleanUpTokenizationSpaces = configuration.CleanUpTokenizationSpaces;
        _idToToken = BuildIdToToken(model.Vocabulary, matchedWhole);
        VocabularySize = _idToToken.Length;
        (_prefix, _suffix) = ChooseSpecialTokensToAdd(model, configuration, special);
    }

    /// <summary>Which kind of tokenizer was loaded.</summary>
    public TokenizerKind Kind { get; }

    /// <summary>The tokenizer file that was read (<c>tokenizer.json</c> or <c>tokenizer.model</c>).</summary>
    public string SourceFile { get; }

    /// <summary>The beginning-of-sequence token, when the model has one.</summary>
    public int? BosTokenId { get; }

    /// <summary>The main end-of-sequence token, when the model has one.</summary>
    public int? EosTokenId { get; }

    /// <summary>Every id that ends a generated sequence: <see cref="EosTokenId"/> plus the ids config.json and
    /// generation_config.json list (chat models often end turns with a token of their own).</summary>
    public IReadOnlySet<int> EosTokenIds { get; }

    /// <summary>The padding token, when the configuration names one.</summary>
    public int? PadTokenId { get; }

    /// <summary>The token that stands for unknown text, when the model has one.</summary>
    public int? UnknownTokenId { get; }

    /// <summary>One more than the highest id the tokenizer knows, added tokens included. The model's embedding may be larger.</summary>
    public int VocabularySize { get; }

    /// <summary>The ids <see cref="Encode"/> puts before the text when special tokens are added (usually bos, or nothing).</summary>
    public IReadOnlyList<int> PrefixTokenIds => _prefix;

    /// <summary>The ids <see cref="Encode"/> puts after the text when special tokens are added (usually nothing).</summary>
    public IReadOnlyList<int> SuffixTokenIds => _suffix;

    /// <summary>Loads the tokenizer of a model directory, preferring <c>tokenizer.json</c> over <c>tokenizer.model</c>.</summary>
    /// <exception cref="LoraException">The files are missing, malformed or describe an unsupported tokenizer (codes LORA2050–LORA2057).</exception>
    public static HuggingFaceTokenizer Load(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        if (!Directory.Exists(modelDirectory))
        {
            throw new LoraException(TokenizerErrorCodes.TokenizerFilesMissing, $"The model directory '{modelDirectory}' does not exist.", modelDirectory);
        }

        string tokenizerJson = Path.Combine(modelDirectory, TokenizerFiles.TokenizerJson);
        string sentencePieceModel = Path.Combine(modelDirectory, TokenizerFiles.SentencePieceModel);
        TokenizerModel model;
        if (File.Exists(tokenizerJson))
        {
            model = TokenizerJsonLoader.Load(tokenizerJson);
        }
        else if (File.Exists(sentencePieceModel))
        {
            model = SentencePieceModelLoader.Load(sentencePieceModel);
        }
        else
        {
            throw new LoraException(
                TokenizerErrorCodes.TokenizerFilesMissing,
                $"'{modelDirectory}' has no tokenizer: expected '{TokenizerFiles.TokenizerJson}' or '{TokenizerFiles.SentencePieceModel}'.",
                modelDirectory);
        }

        return new HuggingFaceTokenizer(model, SpecialTokenConfiguration.Read(modelDirectory));
    }

    /// <summary>
    /// Encodes text. Added and special tokens written in the text (such as <c>&lt;|im_start|&gt;</c>) become their
    /// single ids; with <paramref name="addSpecialTokens"/> the model's bos/eos wrapping is added as well.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + _prefix.Length + _suffix.Length + 1);
        if (addSpecialTokens)
        {
            ids.AddRange(_prefix);
        }

        foreach (var segment in _addedTokens.Split(text))
        {
            if (segment.TokenId is int id)
            {
                ids.Add(id);
            }
            else
            {
                _encoder.Encode(segment.Text!, startsInput: segment.Start == 0, ids);
            }
        }

        if (addSpecialTokens)
        {
            ids.AddRange(_suffix);
        }

        return ids;
    }

    /// <summary>Decodes ids to text; ids the tokenizer does not know are skipped.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return new IncrementalDecoder(_pieces, skipSpecialTokens, _cleanUpTokenizationSpaces).DecodeAll(ids);
    }

    /// <summary>Creates a decoder for streaming one generated sequence, see <see cref="IncrementalDecoder"/>.</summary>
    public IncrementalDecoder CreateIncrementalDecoder(bool skipSpecialTokens = true) => new(_pieces, skipSpecialTokens, _cleanUpTokenizationSpaces);

    /// <summary>The id of a vocabulary entry or added token, written as the vocabulary writes it
    /// (byte-level vocabularies write a leading space as 'Ġ', SentencePiece ones as '▁').</summary>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _tokenToId.TryGetValue(token, out int id) ? id : null;
    }

    /// <summary>The vocabulary entry or added token of an id, or <see langword="null"/> for an unknown id.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_idToToken.Length ? _idToToken[id] : null;

    /// <summary>True when the id is a special token (left out by <see cref="Decode"/> with skipSpecialTokens).</summary>
    public bool IsSpecialToken(int id) => _pieces.TryGet(id, out _, out bool isSpecial) && isSpecial;

    private static List<AddedToken> MergeAddedTokens(IEnumerable<AddedToken> primary, IEnumerable<AddedToken> secondary)
    {
        var byId = new Dictionary<int, AddedToken>();
        foreach (var token in secondary.Concat(primary))
        {
            byId[token.Id] = byId.TryGetValue(token.Id, out var existing) && existing.Content == token.Content
                ? token with { IsSpecial = token.IsSpecial || existing.IsSpecial }
                : token;
        }

        return [.. byId.Values.OrderBy(token => token.Id)];
    }

    private static string?[] BuildIdToToken(IReadOnlyDictionary<string, int> vocabulary, List<AddedToken> addedTokens)
    {
        int size = Math.Max(
            vocabulary.Count == 0 ? 0 : vocabulary.Values.Max() + 1,
            addedTokens.Count == 0 ? 0 : addedTokens.Max(token => token.Id) + 1);
        var idToToken = new string?[size];
        foreach (var (token, id) in vocabulary)
        {
            idToToken[id] = token;
        }

        foreach (var token in addedTokens)
        {
            idToToken[token.Id] = token.Content;
        }

        return idToToken;
    }

    /// <summary>
    /// The post-processor template decides; without one, SentencePiece tokenizers add bos (Llama 2's default) and
    /// byte-level ones add nothing. <c>add_bos_token</c>/<c>add_eos_token</c> in tokenizer_config.json override both.
    /// </summary>
    private static (int[] Prefix, int[] Suffix) ChooseSpecialTokensToAdd(TokenizerModel model, SpecialTokenConfiguration configuration, ResolvedSpecialTokens special)
    {
        var prefix = model.Template?.Prefix.ToList()
            ?? (model.Kind != TokenizerKind.ByteLevelBpe && special.Bos is int bos ? [bos] : []);
        var suffix = model.Template?.Suffix.ToList() ?? [];
        if (configuration.AddBos is bool addBos)
        {
            Override(prefix, special.Bos, addBos, atStart: true, "add_bos_token", "bos");
        }

        if (configuration.AddEos is bool addEos)
        {
            Override(suffix, special.Eos, addEos, atStart: false, "add_eos_token", "eos");
        }

        return ([.. prefix], [.. suffix]);

        void Override(List<int> ids, int? tokenId, bool add, bool atStart, string setting, string name)
        {
            if (tokenId is not int id)
            {
                if (add)
                {
                    throw new LoraException(
                        TokenizerErrorCodes.UnknownSpecialToken,
                        $"'{setting}' is true in '{TokenizerFiles.TokenizerConfig}', but no {name} token is defined.",
                        Path.Combine(Path.GetDirectoryName(model.SourceFile) ?? ".", TokenizerFiles.TokenizerConfig));
                }

                return;
            }

            ids.RemoveAll(existing => existing == id);
            if (add)
            {
                ids.Insert(atStart ? 0 : ids.Count, id);
            }
        }
    }
}
