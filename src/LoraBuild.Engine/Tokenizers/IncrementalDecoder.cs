using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Turns a growing sequence of generated token ids into text as it streams, never emitting half of a character
/// whose UTF-8 bytes are spread over several tokens (byte-level BPE, byte fallback). The text streamed, followed by
/// <see cref="Flush"/>, is exactly what <see cref="HuggingFaceTokenizer.Decode"/> returns for the same ids. A run of
/// byte-fallback tokens (<c>&lt;0xNN&gt;</c>) is held back until a token of another kind ends it, since, as in Hugging
/// Face's decoder, the whole run becomes U+FFFD characters when it is not valid UTF-8.
/// Create one per generated sequence with <see cref="HuggingFaceTokenizer.CreateIncrementalDecoder"/>.
/// </summary>
public sealed class IncrementalDecoder
{
    private readonly TokenPieceTable _pieces;
    private readonly bool _skipSpecialTokens;
    private readonly List<byte> _pendingBytes = [];
    private readonly List<byte> _byteRun = [];
    private readonly StringBuilder? _decoded;
    private int _idsSeen;
    private int _stripRemaining;
    private int _cleanedEmitted;

    internal IncrementalDecoder(TokenPieceTable pieces, bool skipSpecialTokens, bool cleanUpTokenizationSpaces = false)
    {
        _pieces = pieces;
        _skipSpecialTokens = skipSpecialTokens;
        _stripRemaining = pieces.StripCount;
        _decoded = cleanUpTokenizationSpaces ? new StringBuilder() : null;
    }

    /// <summary>The number of ids consumed so far.</summary>
    public int TokenCount => _idsSeen;

    /// <summary>
    /// Takes all ids generated so far (the ids passed before, plus new ones) and returns the text completed since
    /// the previous call; bytes of a character that is not complete yet are held back until it is.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer ids than were already consumed.</exception>
    public string GetNewText(IReadOnlyList<int> allIds)
    {
        ArgumentNullException.ThrowIfNull(allIds);
        if (allIds.Count < _idsSeen)
        {
            throw new ArgumentException($"Expected at least the {_idsSeen} ids already decoded, got {allIds.Count}; create a new decoder for a new sequence.", nameof(allIds));
        }

        var text = new StringBuilder();
        for (int i = _idsSeen; i < allIds.Count; i++)
        {
            Append(allIds[i]);
        }

        _idsSeen = allIds.Count;
        Drain(text, endOfInput: false);
        return text.ToString();
    }

    /// <summary>Consumes one more id and returns the text it completes.</summary>
    public string AppendToken(int id)
    {
        Append(id);
        _idsSeen++;
        var text = new StringBuilder();
        Drain(text, endOfInput: false);
        return text.ToString();
    }

    /// <summary>Ends the sequence: bytes still held back (a character cut short) come out as U+FFFD.</summary>
    public string Flush()
    {
        var text = new StringBuilder();
        Drain(text, endOfInput: true);
        return text.ToString();
    }

    /// <summary>Decodes a whole sequence at once; the same path streaming takes, so both always agree.</summary>
    internal string DecodeAll(IEnumerable<int> ids)
    {
        foreach (int id in ids)
        {
            Append(id);
            _idsSeen++;
        }

        var text = new StringBuilder();
        Drain(text, endOfInput: true);
        return text.ToString();
    }

    private void Append(int id)
    {
        if (!_pieces.TryGet(id, out byte[] bytes, out bool isSpecial) || (isSpecial && _skipSpecialTokens))
        {
            return;
        }

        if (_pieces.IsByteToken(id))
        {
            _byteRun.AddRange(bytes);
            return;
        }

        EndByteRun();
        _pendingBytes.AddRange(bytes);
    }

    /// <summary>A finished run of byte tokens: its bytes when they are valid UTF-8, else one U+FFFD per byte.</summary>
    private void EndByteRun()
    {
        if (_byteRun.Count == 0)
        {
            return;
        }

        if (System.Text.Unicode.Utf8.IsValid(CollectionsMarshal.AsSpan(_byteRun)))
        {
            _pendingBytes.AddRange(_byteRun);
        }
        else
        {
            for (var i = 0; i < _byteRun.Count; i++)
            {
                _pendingBytes.AddRange("\uFFFD"u8);
            }
        }

        _byteRun.Clear();
    }

    private void Drain(StringBuilder text, bool endOfInput)
    {
        if (endOfInput)
        {
            EndByteRun();
        }

        ReadOnlySpan<byte> pending = CollectionsMarshal.AsSpan(_pendingBytes);
        int consumed = 0;
        while (consumed < pending.Length)
        {
            var status = Rune.DecodeFromUtf8(pending[consumed..], out Rune rune, out int length);
            if (status == OperationStatus.NeedMoreData && !endOfInput)
            {
                break;
            }

            // Invalid or cut-short sequences decode to U+FFFD, as Encoding.UTF8 would.
            Emit(status == OperationStatus.Done ? rune : Rune.ReplacementChar, text);
            consumed += length;
        }

        _pendingBytes.RemoveRange(0, consumed);
        if (_decoded is not null)
        {
            // Spaces are cleaned up over the whole text; its last characters are held back until they are settled.
            _decoded.Append(text);
            text.Clear();
            var cleaned = TokenizationSpaceCleaner.Clean(_decoded.ToString());
            var settled = endOfInput ? cleaned.Length : Math.Max(_cleanedEmitted, cleaned.Length - TokenizationSpaceCleaner.UnsettledTail);
            if (settled > _cleanedEmitted)
            {
                text.Append(cleaned, _cleanedEmitted, settled - _cleanedEmitted);
                _cleanedEmitted = settled;
            }
        }
    }

    private void Emit(Rune rune, StringBuilder text)
    {
        if (_stripRemaining > 0)
        {
            if (rune.Value == _pieces.StripChar)
            {
                _stripRemaining--;
                return;
            }

            _stripRemaining = 0;
        }

        Span<char> utf16 = stackalloc char[2];
        text.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }
}
