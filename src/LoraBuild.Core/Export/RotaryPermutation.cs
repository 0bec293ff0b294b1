namespace LoraBuild.Core.Export;

/// <summary>
/// Reorders the rows of a q or k projection from Hugging Face's rotary layout (each head's first half of dimensions
/// paired with its second half) into llama.cpp's (adjacent dimensions paired): within each head of width d, row
/// h·d + 2j + i takes row h·d + i·d/2 + j. The same order applies to the projection's bias and to its LoRA B rows;
/// LoRA A is untouched, since B·A then has its rows reordered exactly as the weight.
/// </summary>
public static class RotaryPermutation
{
    /// <summary>Reorders the rows of a row-major [rows, columns] matrix (a bias is one column).</summary>
    public static float[] PermuteRows(ReadOnlySpan<float> values, int rows, int columns, int heads)
    {
        if (heads <= 0 || rows % heads != 0 || (rows / heads) % 2 != 0 || values.Length != (long)rows * columns)
        {
            throw new ArgumentException($"Cannot reorder {rows} rows of {columns} into {heads} rotary heads of even width.", nameof(heads));
        }

        var headWidth = rows / heads;
        var half = headWidth / 2;
        var result = new float[values.Length];
        for (var head = 0; head < heads; head++)
        {
            for (var j = 0; j < half; j++)
            {
                for (var i = 0; i < 2; i++)
                {
                    var target = head * headWidth + 2 * j + i;
                    var source = head * headWidth + i * half + j;
                    values.Slice(source * columns, columns).CopyTo(result.AsSpan(target * columns, columns));
                }
            }
        }

        return result;
    }
}
