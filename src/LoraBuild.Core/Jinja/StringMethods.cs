using System.Globalization;
using System.Text;

namespace LoraBuild.Core.Jinja;

/// <summary>Python <c>str</c> methods with Python's arguments and results.</summary>
internal static class StringMethods
{
    public static Func<CallArguments, object?>? Find(string s, string name) => name switch
    {
        "strip" => args => Strip(s, args, "strip", left: true, right: true),
        "lstrip" => args => Strip(s, args, "lstrip", left: true, right: false),
        "rstrip" => args => Strip(s, args, "rstrip", left: false, right: true),
        "split" => args => Split(s, args, "split"),
        "rsplit" => args => Split(s, args, "rsplit"),
        "splitlines" => args => Methods.NoArguments(args, name, () => PyString.SplitLines(s).ToList<object?>()),
        "startswith" => args => Affix(s, args, name, (text, affix) => text.StartsWith(affix, StringComparison.Ordinal)),
        "endswith" => args => Affix(s, args, name, (text, affix) => text.EndsWith(affix, StringComparison.Ordinal)),
        "upper" => args => Methods.NoArguments(args, name, () => s.ToUpperInvariant()),
        "lower" => args => Methods.NoArguments(args, name, () => s.ToLowerInvariant()),
        "title" => args => Methods.NoArguments(args, name, () => Title(s)),
        "capitalize" => args => Methods.NoArguments(args, name, () => Capitalize(s)),
        "replace" => args =>
        {
            string old = Text(args.Required(0, "old", name), name);
            string replacement = Text(args.Required(1, "new", name), name);
            long count = args.Get(2, "count", -1L) is long c ? c : -1;
            args.EnsureNoExtra(3, name);
            return Replace(s, old, replacement, count);
        },
        "find" => args => Search(s, args, name, last: false),
        "rfind" => args => Search(s, args, name, last: true),
        "count" => args =>
        {
            string sub = Text(args.Required(0, "sub", name), name);
            args.EnsureNoExtra(1, name);
            return sub.Length == 0 ? PyString.Length(s) + 1 : (long)CountOccurrences(s, sub);
        },
        "join" => args =>
        {
            var items = PyOps.Iterate(args.Required(0, "iterable", name));
            args.EnsureNoExtra(1, name);
            return string.Join(s, items.Select(item => item as string
                ?? throw TemplateError.Type($"sequence item: expected str instance, {PyFormat.TypeName(item)} found.")));
        },
        "format" => args => Format(s, args),
        "removeprefix" => args => Affixless(s, args, name, prefix: true),
        "removesuffix" => args => Affixless(s, args, name, prefix: false),
        "isdigit" => args => Methods.NoArguments(args, name, () => s.Length > 0 && s.All(char.IsDigit)),
        "isalpha" => args => Methods.NoArguments(args, name, () => s.Length > 0 && s.All(char.IsLetter)),
        "isalnum" => args => Methods.NoArguments(args, name, () => s.Length > 0 && s.All(char.IsLetterOrDigit)),
        "isspace" => args => Methods.NoArguments(args, name, () => s.Length > 0 && s.All(PyString.IsSpace)),
        "islower" => args => Methods.NoArguments(args, name, () => IsLower(s)),
        "isupper" => args => Methods.NoArguments(args, name, () => IsUpper(s)),
        _ => null,
    };

    private static string Text(object? value, string method) =>
        value as string ?? throw TemplateError.Type($"{method}() argument must be str, not {PyFormat.TypeName(value)}.");

    private static string Strip(string s, CallArguments args, string name, bool left, bool right)
    {
        object? chars = args.Get(0, "chars", null);
        args.EnsureNoExtra(1, name);
        return PyString.Strip(s, chars is null ? null : Text(chars, name), left, right);
    }

    private static List<object?> Split(string s, CallArguments args, string name)
    {
        object? separator = args.Get(0, "sep", null);
        long max = args.Get(1, "maxsplit", -1L) is long m ? m : throw TemplateError.Type("maxsplit must be an integer.");
        args.EnsureNoExtra(2, name);
        bool fromRight = name == "rsplit";
        if (separator is null)
        {
            return SplitWhitespace(s, max, fromRight);
        }

        string sep = Text(separator, name);
        if (sep.Length == 0)
        {
            throw TemplateError.Type("empty separator.");
        }

        var parts = s.Split(sep).ToList();
        if (max >= 0 && parts.Count > max + 1)
        {
            int keep = (int)max;
            parts = fromRight
                ? [string.Join(sep, parts.Take(parts.Count - keep)), .. parts.Skip(parts.Count - keep)]
                : [.. parts.Take(keep), string.Join(sep, parts.Skip(keep))];
        }

        return parts.ToList<object?>();
    }

    private static List<object?> SplitWhitespace(string s, long max, bool fromRight)
    {
        var parts = new List<object?>();
        if (fromRight)
        {
            int end = s.Length;
            while (true)
            {
                while (end > 0 && PyString.IsSpace(s[end - 1]))
                {
                    end--;
                }

                if (end == 0)
                {
                    break;
                }

                if (max >= 0 && parts.Count == max)
                {
                    parts.Add(s[..end]);
                    break;
                }

                int start = end;
                while (start > 0 && !PyString.IsSpace(s[start - 1]))
                {
                    start--;
                }

                parts.Add(s[start..end]);
                end = start;
            }

            parts.Reverse();
            return parts;
        }

        int i = 0;
        while (true)
        {
            while (i < s.Length && PyString.IsSpace(s[i]))
            {
                i++;
            }

            if (i == s.Length)
            {
                break;
            }

            if (max >= 0 && parts.Count == max)
            {
                parts.Add(s[i..]);
                break;
            }

            int start = i;
            while (i < s.Length && !PyString.IsSpace(s[i]))
            {
                i++;
            }

            parts.Add(s[start..i]);
        }

        return parts;
    }

    private static bool Affix(string s, CallArguments args, string name, Func<string, string, bool> test)
    {
        object? affix = args.Required(0, name == "startswith" ? "prefix" : "suffix", name);
        args.EnsureNoExtra(1, name);
        return affix switch
        {
            string text => test(s, text),
            object?[] options => options.Any(option => test(s, Text(option, name))),
            _ => throw TemplateError.Type($"{name} first arg must be str or a tuple of str, not {PyFormat.TypeName(affix)}."),
        };
    }

    private static string Affixless(string s, CallArguments args, string name, bool prefix)
    {
        string affix = Text(args.Required(0, prefix ? "prefix" : "suffix", name), name);
        args.EnsureNoExtra(1, name);
        if (prefix)
        {
            return s.StartsWith(affix, StringComparison.Ordinal) ? s[affix.Length..] : s;
        }

        return affix.Length > 0 && s.EndsWith(affix, StringComparison.Ordinal) ? s[..^affix.Length] : s;
    }

    private static long Search(string s, CallArguments args, string name, bool last)
    {
        string sub = Text(args.Required(0, "sub", name), name);
        args.EnsureNoExtra(1, name);
        int index = last ? s.LastIndexOf(sub, StringComparison.Ordinal) : s.IndexOf(sub, StringComparison.Ordinal);
        return index < 0 ? -1 : PyString.Length(s[..index]);
    }

    private static int CountOccurrences(string s, string sub)
    {
        int count = 0;
        for (int i = s.IndexOf(sub, StringComparison.Ordinal); i >= 0; i = s.IndexOf(sub, i + sub.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    /// <summary>Python <c>str.replace</c>: an empty <paramref name="old"/> inserts between every character; <paramref name="count"/> &lt; 0 means all.</summary>
    public static string Replace(string s, string old, string replacement, long count)
    {
        var builder = new StringBuilder();
        long done = 0;
        if (old.Length == 0)
        {
            var chars = PyString.Characters(s);
            for (int i = 0; i <= chars.Count; i++)
            {
                if (count < 0 || done < count)
                {
                    builder.Append(replacement);
                    done++;
                }

                if (i < chars.Count)
                {
                    builder.Append((string)chars[i]!);
                }
            }

            return builder.ToString();
        }

        int position = 0;
        while (count < 0 || done < count)
        {
            int found = s.IndexOf(old, position, StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            builder.Append(s, position, found - position).Append(replacement);
            position = found + old.Length;
            done++;
        }

        return builder.Append(s, position, s.Length - position).ToString();
    }

    /// <summary>Python <c>str.title</c>: a letter after a non-letter is upper case, other letters lower case.</summary>
    public static string Title(string s)
    {
        var builder = new StringBuilder(s.Length);
        bool previousCased = false;
        foreach (char c in s)
        {
            bool cased = char.IsLetter(c);
            builder.Append(!cased ? c : previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousCased = cased;
        }

        return builder.ToString();
    }

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    public static bool IsLower(string s) => s.Any(char.IsLower) && !s.Any(char.IsUpper);

    public static bool IsUpper(string s) => s.Any(char.IsUpper) && !s.Any(char.IsLower);

    // str.format with {} / {0} / {name} fields; format specs and conversions are not supported.
    private static string Format(string s, CallArguments args)
    {
        var builder = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '{' && i + 1 < s.Length && s[i + 1] == '{')
            {
                builder.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < s.Length && s[i + 1] == '}')
            {
                builder.Append('}');
                i++;
            }
            else if (c == '{')
            {
                int close = s.IndexOf('}', i);
                if (close < 0)
                {
                    throw TemplateError.Type("Single '{' encountered in format string.");
                }

                string field = s[(i + 1)..close];
                if (field.IndexOfAny([':', '!', '.', '[']) >= 0)
                {
                    throw new TemplateError(JinjaErrorCodes.TemplateUnsupported, "str.format() with format specs, conversions or attribute fields is not supported.");
                }

                object? value = field.Length == 0 ? Positional(args, auto++)
                    : int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? Positional(args, index)
                    : args.Keyword.TryGetValue(field, out object? named) ? named
                    : throw TemplateError.Type($"format() has no argument '{field}'.");
                builder.Append(PyFormat.Str(value));
                i = close;
            }
            else if (c == '}')
            {
                throw TemplateError.Type("Single '}' encountered in format string.");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static object? Positional(CallArguments args, int index) =>
        index < args.Positional.Count ? args.Positional[index] : throw TemplateError.Type($"Replacement index {index} out of range for format().");
}
