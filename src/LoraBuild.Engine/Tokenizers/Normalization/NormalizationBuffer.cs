using System.Buffers;

namespace LoraBuild.Engine.Tokenizers.Normalization;

/// <summary>
/// Normalizes one segment of text, UAX #15 step by step: full decomposition, canonical ordering, canonical composition.
/// Reused across calls on a thread, so that normalizing allocates nothing but the result.
/// </summary>
internal sealed class NormalizationBuffer
{
    /// <summary>A run of combining marks longer than this is sorted in O(n log n) rather than by insertion.</summary>
    private const int InsertionSortLimit = 32;

    private int[] _codePoints = new int[64];
    private byte[] _classes = new byte[64];
    private char[] _chars = new char[128];
    private int _count;

    public int Capacity => _codePoints.Length;

    public ReadOnlySpan<char> Normalize(ReadOnlySpan<char> segment, NormalizationData data, bool compatibility, bool compose)
    {
        _count = 0;
        for (var i = 0; i < segment.Length;)
        {
            var (codePoint, length) = CodePoints.At(segment, i);
            Decompose(codePoint, data, compatibility);
            i += length;
        }

        Reorder();
        if (compose)
        {
            Compose(data);
        }

        return Encode();
    }

    private void Decompose(int codePoint, NormalizationData data, bool compatibility)
    {
        if (Hangul.IsSyllable(codePoint))
        {
            Span<int> jamo = stackalloc int[3];
            var count = Hangul.Decompose(codePoint, jamo);
            for (var i = 0; i < count; i++)
            {
                Append(jamo[i], 0);
            }

            return;
        }

        var decomposition = data.Decomposition(codePoint, compatibility);
        if (decomposition.IsEmpty)
        {
            Append(codePoint, data.CombiningClass(codePoint));
            return;
        }

        for (var i = 0; i < decomposition.Length;)
        {
            var (part, length) = CodePoints.At(decomposition, i);
            Append(part, data.CombiningClass(part));
            i += length;
        }
    }

    private void Append(int codePoint, int combiningClass)
    {
        if (_count == _codePoints.Length)
        {
            Array.Resize(ref _codePoints, _count * 2);
            Array.Resize(ref _classes, _count * 2);
        }

        _codePoints[_count] = codePoint;
        _classes[_count] = (byte)combiningClass;
        _count++;
    }

    /// <summary>Sorts each run of non-starters stably by combining class.</summary>
    private void Reorder()
    {
        for (var start = 0; start < _count; start++)
        {
            if (_classes[start] == 0)
            {
                continue;
            }

            var end = start + 1;
            while (end < _count && _classes[end] != 0)
            {
                end++;
            }

            if (end - start <= InsertionSortLimit)
            {
                InsertionSort(start, end);
            }
            else
            {
                KeySort(start, end);
            }

            start = end;
        }
    }

    private void InsertionSort(int start, int end)
    {
        for (var i = start + 1; i < end; i++)
        {
            var codePoint = _codePoints[i];
            var combiningClass = _classes[i];
            var j = i - 1;
            for (; j >= start && _classes[j] > combiningClass; j--)
            {
                _codePoints[j + 1] = _codePoints[j];
                _classes[j + 1] = _classes[j];
            }

            _codePoints[j + 1] = codePoint;
            _classes[j + 1] = combiningClass;
        }
    }

    /// <summary>Sorts by (class, position), which keeps equal classes in text order, for long runs of marks.</summary>
    private void KeySort(int start, int end)
    {
        var length = end - start;
        var keys = ArrayPool<long>.Shared.Rent(length);
        var codePoints = ArrayPool<int>.Shared.Rent(length);
        for (var i = 0; i < length; i++)
        {
            keys[i] = ((long)_classes[start + i] << 32) | (uint)i;
            codePoints[i] = _codePoints[start + i];
        }

        Array.Sort(keys, 0, length);
        for (var i = 0; i < length; i++)
        {
            _codePoints[start + i] = codePoints[(int)(keys[i] & uint.MaxValue)];
            _classes[start + i] = (byte)(keys[i] >> 32);
        }

        ArrayPool<long>.Shared.Return(keys);
        ArrayPool<int>.Shared.Return(codePoints);
    }

    /// <summary>
    /// Canonical composition: each character joins the last starter when the pair has a primary composite and no
    /// character between them has class 0 or a class at least its own (after reordering, the last one kept decides).
    /// </summary>
    private void Compose(NormalizationData data)
    {
        var starter = -1;
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var codePoint = _codePoints[i];
            var combiningClass = _classes[i];
            var blocked = starter < 0 || (kept != starter + 1 && _classes[kept - 1] >= combiningClass);
            if (!blocked && data.TryCompose(_codePoints[starter], codePoint, out var composite))
            {
                _codePoints[starter] = composite;
                continue;
            }

            if (combiningClass == 0)
            {
                starter = kept;
            }

            _codePoints[kept] = codePoint;
            _classes[kept] = combiningClass;
            kept++;
        }

        _count = kept;
    }

    private ReadOnlySpan<char> Encode()
    {
        if (_chars.Length < _count * 2)
        {
            _chars = new char[_count * 2];
        }

        var length = 0;
        for (var i = 0; i < _count; i++)
        {
            length += CodePoints.Write(_codePoints[i], _chars.AsSpan(length));
        }

        return _chars.AsSpan(0, length);
    }
}
