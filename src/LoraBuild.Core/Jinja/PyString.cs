using System.Text;

namespace LoraBuild.Core.Jinja;

/// <summary>Strings as Python sees them: sequences of code points, not UTF-16 units.</summary>
internal static class PyString
{
    /// <summary>Python's <c>str.isspace</c> for one character: .NET's white space plus the separators U+001C–U+001F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || (c >= '\x1c' && c <= '\x1f');

    /// <summary><c>str.strip</c>/<c>lstrip</c>/<c>rstrip</c>: white space, or the characters of <paramref name="chars"/>.</summary>
    public static string Strip(string s, string? chars, bool left, bool right)
    {
        Func<char, bool> strip = chars is null ? IsSpace : c => chars.Contains(c, StringComparison.Ordinal);
        int start = 0;
        int end = s.Length;
        while (left && start < end && strip(s[start]))
        {
            start++;
        }

        while (right && end > start && strip(s[end - 1]))
        {
            end--;
        }

        return s[start..end];
    }

    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029';

    /// <summary><c>str.splitlines()</c>: splits at every Python line boundary, <c>\r\n</c> counting as one.</summary>
    public static List<string> SplitLines(string s)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (!IsLineBreak(s[i]))
            {
                continue;
            }

            lines.Add(s[start..i]);
            if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
            {
                i++;
            }

            start = i + 1;
        }

        if (start < s.Length)
        {
            lines.Add(s[start..]);
        }

        return lines;
    }

    private static bool HasSurrogates(string s) => s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    public static long Length(string s) => HasSurrogates(s) ? s.EnumerateRunesLenient().Count() : s.Length;

    public static List<object?> Characters(string s) => [.. Split(s)];

    private static IEnumerable<string> Split(string s)
    {
        if (!HasSurrogates(s))
        {
            foreach (char c in s)
            {
                yield return c.ToString();
            }

            yield break;
        }

        foreach (string r in s.EnumerateRunesLenient())
        {
            yield return r;
        }
    }

    // Like EnumerateRunes, but a lone surrogate stays itself instead of becoming U+FFFD, as in a Python str.
    private static IEnumerable<string> EnumerateRunesLenient(this string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                yield return s.Substring(i++, 2);
            }
            else
            {
                yield return s[i].ToString();
            }
        }
    }

    public static object? Index(string s, long index)
    {
        if (!HasSurrogates(s))
        {
            long i = index < 0 ? index + s.Length : index;
            return i >= 0 && i < s.Length ? s[(int)i].ToString() : null;
        }

        var chars = Characters(s);
        long j = index < 0 ? index + chars.Count : index;
        return j >= 0 && j < chars.Count ? chars[(int)j] : null;
    }

    public static string Slice(string s, long? start, long? stop, long? step)
    {
        var chars = Characters(s);
        var builder = new StringBuilder();
        foreach (object? c in Slicing.Apply(chars, start, stop, step))
        {
            builder.Append((string)c!);
        }

        return builder.ToString();
    }
}
