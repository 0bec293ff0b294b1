namespace LoraBuild.Engine.Tokenizers;

/// <summary>For each token id, the bytes it decodes to and whether it is special; the one source of truth for decoding.</summary>
internal sealed class TokenPieceTable
{
    private readonly byte[]?[] _bytes;
    private readonly bool[] _isSpecial;
    private readonly bool[] _isByte;

    public TokenPieceTable(IReadOnlyDictionary<string, int> vocabulary, IEnumerable<AddedToken> addedTokens, TokenDecodingRules rules)
    {
        var added = addedTokens.ToList();
        int size = Math.Max(
            vocabulary.Count == 0 ? 0 : vocabulary.Values.Max() + 1,
            added.Count == 0 ? 0 : added.Max(token => token.Id) + 1);
        _bytes = new byte[]?[size];
        _isSpecial = new bool[size];
        _isByte = new bool[size];
        foreach (var (token, id) in vocabulary)
        {
            _bytes[id] = rules.ToBytes(token);
            _isByte[id] = rules.ByteFallback && TokenDecodingRules.TryParseByteToken(token, out _);
        }

        // Added tokens go through the decoder too, as in Hugging Face's implementation: Gemma's "▁▁" is two spaces.
        foreach (var token in added)
        {
            _bytes[token.Id] = rules.ToBytes(token.Content);
            _isSpecial[token.Id] = token.IsSpecial;
        }

        StripChar = rules.StripChar;
        StripCount = rules.StripCount;
    }

    public char StripChar { get; }

    public int StripCount { get; }

    /// <summary>
    /// Whether the id is a <c>&lt;0xNN&gt;</c> byte token of a <c>ByteFallback</c> decoder: a run of them decodes as one
    /// UTF-8 sequence, or to one U+FFFD per byte when the run is not valid UTF-8, as Hugging Face's decoder does.
    /// </summary>
    public bool IsByteToken(int id) => (uint)id < (uint)_isByte.Length && _isByte[id];

    /// <summary>Looks up an id; ids the tokenizer does not know (e.g. padding rows of a larger embedding) have no bytes.</summary>
    public bool TryGet(int id, out byte[] bytes, out bool isSpecial)
    {
        if ((uint)id < (uint)_bytes.Length && _bytes[id] is byte[] known)
        {
            bytes = known;
            isSpecial = _isSpecial[id];
            return true;
        }

        bytes = [];
        isSpecial = false;
        return false;
    }
}
