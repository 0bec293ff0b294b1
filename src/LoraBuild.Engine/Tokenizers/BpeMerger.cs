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
    private readonly MergeTable _merges;
    private readonly int? _unknownId;
    private readonly bool _fuseUnknown;
    private readonly int[]? _byteTokenIds;
    private readonly string? _continuingSubwordPrefix;
    private readonly string? _endOfWordSuffix;
    private readonly Dictionary<int, int> _scalarIds = [];

    // Scratch space reused by every word a thread encodes: text between added tokens is often many short words.
    [ThreadStatic]
    private static Scratch? t_scratch;

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
        if (_continuingSubwordPrefix is null && _endOfWordSuffix is null)
        {
            // Most lookups are of single characters: keep those by code point, so they allocate nothing.
            foreach (var (token, id) in vocabulary)
            {
                if (token.Length is 1 or 2 && Rune.TryGetRuneAt(token, 0, out var rune) && rune.Utf16SequenceLength == token.Length)
                {
                    _scalarIds[rune.Value] = id;
                }
            }
        }

        _merges = new MergeTable(merges.Count);
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
            _merges.TryAdd(leftId, rightId, rank, newId);
        }
    }

    /// <summary>Appends the ids of <paramref name="word"/> (already in vocabulary form: byte-level symbols where the model is byte-level).</summary>
    public void Encode(string word, List<int> ids)
    {
        var scratch = t_scratch ??= new Scratch();
        var symbols = scratch.Symbols;
        symbols.Clear();
        InitialSymbols(word, symbols, scratch.Builder);
        if (symbols.Count > 1)
        {
            Merge(symbols, scratch);
        }

        foreach (var id in symbols)
        {
            if (id >= 0)
            {
                ids.Add(id);
            }
        }
    }

    private void InitialSymbols(string word, List<int> symbols, StringBuilder builder)
    {
        var previousUnknown = false;
        for (var index = 0; index < word.Length;)
        {
            var length = char.IsHighSurrogate(word[index]) && index + 1 < word.Length && char.IsLowSurrogate(word[index + 1]) ? 2 : 1;
            var isFirst = index == 0;
            var isLast = index + length == word.Length;
            if (_continuingSubwordPrefix is null && _endOfWordSuffix is null)
            {
                if (_scalarIds.TryGetValue(length == 2 ? char.ConvertToUtf32(word[index], word[index + 1]) : word[index], out var scalarId))
                {
                    symbols.Add(scalarId);
                    previousUnknown = false;
                    index += length;
                    continue;
                }
            }

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
                symbols.Add(id);
                previousUnknown = false;
            }
            else if (_byteTokenIds is not null)
            {
                foreach (var b in Encoding.UTF8.GetBytes(word.Substring(index, length)))
                {
                    symbols.Add(_byteTokenIds[b]);
                }

                previousUnknown = false;
            }
            else if (_unknownId is int unknown)
            {
                if (!(_fuseUnknown && previousUnknown))
                {
                    symbols.Add(unknown);
                }

                previousUnknown = true;
            }

            index += length;
        }
    }

    private void Merge(List<int> symbols, Scratch scratch)
    {
        var count = symbols.Count;
        scratch.Ensure(count);
        var previous = scratch.Previous;
        var next = scratch.Next;
        var ids = scratch.Ids;
        for (var i = 0; i < count; i++)
        {
            previous[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            ids[i] = symbols[i];
        }

        // A candidate is the left symbol's position; its priority, rank then position, is packed into one long. The
        // merge of the pair starting at each position is kept, so a stale candidate is told by its rank alone.
        var queue = scratch.Queue;
        queue.Clear();
        var pairRank = scratch.PairRank;
        var pairNewId = scratch.PairNewId;
        for (var i = 0; i + 1 < count; i++)
        {
            Pair(queue, pairRank, pairNewId, i, ids[i], ids[i + 1]);
        }

        if (count > 0)
        {
            pairRank[count - 1] = -1;
        }

        while (queue.TryDequeue(out var left, out var priority))
        {
            var right = next[left];
            if (ids[left] < 0 || right < 0 || pairRank[left] != (int)(priority >> 32))
            {
                continue;
            }

            ids[left] = pairNewId[left];
            ids[right] = -1;
            next[left] = next[right];
            if (next[right] >= 0)
            {
                previous[next[right]] = left;
            }

            if (previous[left] >= 0)
            {
                Pair(queue, pairRank, pairNewId, previous[left], ids[previous[left]], ids[left]);
            }

            if (next[left] >= 0)
            {
                Pair(queue, pairRank, pairNewId, left, ids[left], ids[next[left]]);
            }
            else
            {
                pairRank[left] = -1;
            }
        }

        symbols.Clear();
        for (var i = 0; i >= 0 && i < count; i = next[i])
        {
            symbols.Add(ids[i]);
        }
    }

    /// <summary>Records the merge of the pair at <paramref name="left"/> (rank -1 for none) and queues it.</summary>
    private void Pair(PriorityQueue<int, long> queue, int[] pairRank, int[] pairNewId, int left, int leftId, int rightId)
    {
        if (_merges.TryGet(leftId, rightId, out var rank, out var newId))
        {
            pairRank[left] = rank;
            pairNewId[left] = newId;
            queue.Enqueue(left, ((long)rank << 32) | (uint)left);
        }
        else
        {
            pairRank[left] = -1;
        }
    }

    private sealed class Scratch
    {
        public List<int> Symbols { get; } = [];

        public StringBuilder Builder { get; } = new();

        public PriorityQueue<int, long> Queue { get; } = new();

        public int[] Previous { get; private set; } = new int[64];

        public int[] Next { get; private set; } = new int[64];

        public int[] Ids { get; private set; } = new int[64];

        public int[] PairRank { get; private set; } = new int[64];

        public int[] PairNewId { get; private set; } = new int[64];

        public void Ensure(int count)
        {
            if (Ids.Length < count)
            {
                var size = Math.Max(count, Ids.Length * 2);
                Previous = new int[size];
                Next = new int[size];
                Ids = new int[size];
                PairRank = new int[size];
                PairNewId = new int[size];
            }
        }
    }
}
