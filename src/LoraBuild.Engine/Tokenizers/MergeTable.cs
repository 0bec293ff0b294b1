namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// The merges of a BPE model as an open-addressing hash table from a pair of ids to the merge's rank and the id it
/// makes: one probe into two flat arrays per lookup in the common case, where a <see cref="Dictionary{TKey, TValue}"/>
/// reads a bucket array and an entry array (Gemma's 515k merges no longer fit a processor cache either way).
/// </summary>
internal sealed class MergeTable
{
    private const long Empty = -1;

    private readonly long[] _keys;
    private readonly long[] _values;
    private readonly int _mask;

    public MergeTable(int count)
    {
        var capacity = 16;
        while (capacity < count * 2)
        {
            capacity *= 2;
        }

        _keys = new long[capacity];
        Array.Fill(_keys, Empty);
        _values = new long[capacity];
        _mask = capacity - 1;
    }

    public int Count { get; private set; }

    /// <summary>Adds a merge unless the pair already has one (the first rank stays).</summary>
    public void TryAdd(int left, int right, int rank, int newId)
    {
        var key = Key(left, right);
        for (var slot = Slot(key); ; slot = (slot + 1) & _mask)
        {
            if (_keys[slot] == key)
            {
                return;
            }

            if (_keys[slot] == Empty)
            {
                _keys[slot] = key;
                _values[slot] = ((long)rank << 32) | (uint)newId;
                Count++;
                return;
            }
        }
    }

    public bool TryGet(int left, int right, out int rank, out int newId)
    {
        var key = Key(left, right);
        for (var slot = Slot(key); ; slot = (slot + 1) & _mask)
        {
            var found = _keys[slot];
            if (found == key)
            {
                rank = (int)(_values[slot] >> 32);
                newId = (int)_values[slot];
                return true;
            }

            if (found == Empty)
            {
                rank = 0;
                newId = 0;
                return false;
            }
        }
    }

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    private int Slot(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 40) & _mask;
}
