using System.Text;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Applies a BPE model's merges to one word, as Hugging Face tokenizers does: the word starts as one symbol per
/// character (a Unicode scalar, so an astral character is one symbol), and the pair with the lowest merge rank is merged
/// first, the leftmost among equals, until no adjacent pair has a merge. A priority queue over a linked list of
/// symbols makes a word of n characters take O(n log n), so text without a pre-tokenizer (SentencePiece-style
/// tokenizers, where a whole line or document is one word) is as fast per token as short words. Characters missing from
/// the vocabulary become byte tokens (<c>byte_fallback</c>), the unknown token (fused when <c>fuse_unk</c>), or
/// nothing.
/// </summary>
internal sealed class BpeMerger
{
    private readonly IReadOnlyDictionary<string, int> _vocabulary;
    private readonly Dictionary<long, (int Rank, int NewId)> _merges;
    private readonly int? _unknownId;
    private readonly bool _fuseUnknown;
    private readonly int[]? _byteTokenIds;
    private readonly string? _continuingSubwordPrefix;
    private readonly string? _endOfWordSuffix;

    public BpeMerger(
        IReadOnlyDictionary<string, int> vocabulary,
        IReadOnlyList<(string Left, string Right)> merges,
        int? unknownId,
        bool fuseUnknown,
        int[]? byteTokenIds,
        string? continuingSubwordPrefix,
        string? endOfWordSuffix,
        string file)
    {
        _vocabulary = vocabulary;
        _unknownId = unknownId;
        _fuseUnknown = fuseUnknown;
        _byteTokenIds = byteTokenIds;
        _continuingSubwordPrefix = string.IsNullOrEmpty(continuingSubwordPrefix) ? null : continuingSubwordPrefix;
        _endOfWordSuffix = string.IsNullOrEmpty(endOfWordSuffix) ? null : endOfWordSuffix;
        _merges = new Dictionary<long, (int, int)>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocabulary.TryGetValue(left, out var leftId) || !vocabulary.TryGetValue(right, out var rightId))
            {
                throw new Core.Diagnostics.LoraException(
                    TokenizerErrorCodes.InvalidTokenizerDefinition,
                    $"model.merges[{rank}] in '{Path.GetFileName(file)}' merges \"{left}\" and \"{right}\", which are not both in model.vocab.",
                    file);
            }

            var merged = left + (_continuingSubwordPrefix is not null && right.StartsWith(_continuingSubwordPrefix, StringComparison.Ordinal) ? right[_continuingSubwordPrefix.Length..] : right);
            if (!vocabulary.TryGetValue(merged, out var newId))
            {
                throw new Core.Diagnostics.LoraException(
                    TokenizerErrorCodes.InvalidTokenizerDefinition,
                    $"model.merges[{rank}] in '{Path.GetFileName(file)}' makes \"{merged}\", which is not in model.vocab.",
                    file);
            }

            // A repeated pair keeps its first rank, as the Rust implementation's map insertion does.
            _merges.TryAdd(Key(leftId, rightId), (rank, newId));
        }
    }

    /// <summary>Appends the ids of <paramref name="word"/> (already in vocabulary form: byte-level symbols where the model is byte-level).</summary>
    public void Encode(string word, List<int> ids)
    {
        var symbols = InitialSymbols(word);
        if (symbols.Count > 1)
        {
            Merge(symbols);
        }

        foreach (var symbol in symbols)
        {
            if (symbol.Id >= 0)
            {
                ids.Add(symbol.Id);
            }
        }
    }

    private List<Symbol> InitialSymbols(string word)
    {
        var symbols = new List<Symbol>(word.Length);
        var previousUnknown = false;
        var builder = new StringBuilder();
        for (var index = 0; index < word.Length;)
        {
            var length = char.IsHighSurrogate(word[index]) && index + 1 < word.Length && char.IsLowSurrogate(word[index + 1]) ? 2 : 1;
            var isFirst = index == 0;
            var isLast = index + length == word.Length;
            builder.Clear();
            if (!isFirst && _continuingSubwordPrefix is not null)
            {
                builder.Append(_continuingSubwordPrefix);
            }

            builder.Append(word, index, length);
            if (isLast && _endOfWordSuffix is not null)
            {
                builder.Append(_endOfWordSuffix);
            }

            if (_vocabulary.TryGetValue(builder.ToString(), out var id))
            {
                symbols.Add(new Symbol(id));
                previousUnknown = false;
            }
            else if (_byteTokenIds is not null)
            {
                foreach (var b in Encoding.UTF8.GetBytes(word.Substring(index, length)))
                {
                    symbols.Add(new Symbol(_byteTokenIds[b]));
                }

                previousUnknown = false;
            }
            else if (_unknownId is int unknown)
            {
                if (!(_fuseUnknown && previousUnknown))
                {
                    symbols.Add(new Symbol(unknown));
                }

                previousUnknown = true;
            }

            index += length;
        }

        return symbols;
    }

    private void Merge(List<Symbol> symbols)
    {
        var count = symbols.Count;
        var previous = new int[count];
        var next = new int[count];
        var ids = new int[count];
        for (var i = 0; i < count; i++)
        {
            previous[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            ids[i] = symbols[i].Id;
        }

        var queue = new PriorityQueue<(int Left, int RightId, int NewId), (int Rank, int Position)>();
        for (var i = 0; i + 1 < count; i++)
        {
            Enqueue(queue, i, ids[i], ids[i + 1]);
        }

        while (queue.TryDequeue(out var candidate, out _))
        {
            var left = candidate.Left;
            var right = next[left];
            // Skip candidates made stale by an earlier merge: the left symbol is gone, or its neighbour changed.
            if (ids[left] < 0 || right < 0 || ids[right] != candidate.RightId || !_merges.TryGetValue(Key(ids[left], ids[right]), out var merge) || merge.NewId != candidate.NewId)
            {
                continue;
            }

            ids[left] = merge.NewId;
            ids[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0)
            {
                previous[next[right]] = left;
            }

            if (previous[left] >= 0)
            {
                Enqueue(queue, previous[left], ids[previous[left]], ids[left]);
            }

            if (next[left] >= 0)
            {
                Enqueue(queue, left, ids[left], ids[next[left]]);
            }
        }

        symbols.Clear();
        for (var i = 0; i >= 0 && i < count; i = next[i])
        {
            symbols.Add(new Symbol(ids[i]));
        }
    }

    private void Enqueue(PriorityQueue<(int, int, int), (int, int)> queue, int left, int leftId, int rightId)
    {
        if (_merges.TryGetValue(Key(leftId, rightId), out var merge))
        {
            queue.Enqueue((left, rightId, merge.NewId), (merge.Rank, left));
        }
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private readonly record struct Symbol(int Id);
}
