namespace LoraBuild.Core.Planning;

/// <summary>
/// Bytes a weight takes as bitsandbytes stores an LLM.int8() weight: one int8 code per element and one float32 absmax
/// per output row.
/// </summary>
public static class Int8Storage
{
    /// <summary>The bytes of one [<paramref name="rows"/>, <paramref name="columns"/>] weight.</summary>
    public static long Bytes(long rows, long columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfNegative(columns);
        return (rows * columns) + (rows * sizeof(float));
    }
}
