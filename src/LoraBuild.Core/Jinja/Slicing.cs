namespace LoraBuild.Core.Jinja;

/// <summary>Python's <c>seq[start:stop:step]</c>, with negative and out-of-range bounds clamped as Python does.</summary>
internal static class Slicing
{
    public static List<object?> Apply(IReadOnlyList<object?> items, long? start, long? stop, long? step)
    {
        long n = items.Count;
        long s = step ?? 1;
        if (s == 0)
        {
            throw TemplateError.Type("slice step cannot be zero.");
        }

        var result = new List<object?>();
        if (s > 0)
        {
            long from = Clamp(start ?? 0, n, 0, n);
            long to = Clamp(stop ?? n, n, 0, n);
            for (long i = from; i < to; i += s)
            {
                result.Add(items[(int)i]);
            }
        }
        else
        {
            long from = start is null ? n - 1 : Clamp(start.Value, n, -1, n - 1);
            long to = stop is null ? -1 : Clamp(stop.Value, n, -1, n - 1);
            for (long i = from; i > to; i += s)
            {
                result.Add(items[(int)i]);
            }
        }

        return result;
    }

    private static long Clamp(long index, long length, long low, long high)
    {
        if (index < 0)
        {
            index += length;
        }

        return Math.Clamp(index, low, high);
    }
}
