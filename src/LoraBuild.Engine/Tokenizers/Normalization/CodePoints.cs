namespace LoraBuild.Engine.Tokenizers.Normalization;

/// <summary>UTF-16 to code points and back, where a lone surrogate stands for itself (it normalizes to itself).</summary>
internal static class CodePoints
{
    public static (int CodePoint, int Length) At(ReadOnlySpan<char> text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            return (char.ConvertToUtf32(c, text[index + 1]), 2);
        }

        return (c, 1);
    }

    public static int Write(int codePoint, Span<char> destination)
    {
        if (codePoint < 0x10000)
        {
            destination[0] = (char)codePoint;
            return 1;
        }

        var offset = codePoint - 0x10000;
        destination[0] = (char)(0xD800 + (offset >> 10));
        destination[1] = (char)(0xDC00 + (offset & 0x3FF));
        return 2;
    }
}
