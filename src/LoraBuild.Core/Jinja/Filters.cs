using System.Globalization;
using System.Text;

namespace LoraBuild.Core.Jinja;

/// <summary>Jinja's built-in filters used by chat templates, plus transformers' <c>tojson</c>.</summary>
internal static partial class Filters
{
    public static object? Apply(string name, object? value, CallArguments args)
    {
        switch (name)
        {
            case "safe":
                return Done(args, 0, name, PyFormat.Str(value));
            case "string":
                return Done(args, 0, name, PyFormat.Str(value));
            case "e" or "escape" or "forceescape":
                return Done(args, 0, name, Escape(PyFormat.Str(value)));
            case "upper":
                return Done(args, 0, name, PyFormat.Str(value).ToUpperInvariant());
            case "lower":
                return Done(args, 0, name, PyFormat.Str(value).ToLowerInvariant());
            case "capitalize":
                return Done(args, 0, name, StringMethods.Capitalize(PyFormat.Str(value)));
            case "title":
                return Done(args, 0, name, Title(PyFormat.Str(value)));
            case "trim":
                object? chars = args.Get(0, "chars", null);
                args.EnsureNoExtra(1, name);
                return PyString.Strip(PyFormat.Str(value), chars as string, left: true, right: true);
            case "length" or "count":
                return Done(args, 0, name, PyOps.Length(value));
            case "first":
                args.EnsureNoExtra(0, name);
                var items = PyOps.Iterate(value);
                return items.Count > 0 ? items[0] : new JinjaUndefined("No first item, sequence was empty");
            case "last":
                args.EnsureNoExtra(0, name);
                var all = PyOps.Iterate(value);
                return all.Count > 0 ? all[^1] : new JinjaUndefined("No last item, sequence was empty");
            case "list":
                return Done(args, 0, name, PyOps.Iterate(value).ToList());
            case "reverse":
                args.EnsureNoExtra(0, name);
                return value is string s ? string.Concat(Enumerable.Reverse(PyString.Characters(s)).Cast<string>()) : PyOps.Iterate(value).Reverse().ToList();
            case "items":
                args.EnsureNoExtra(0, name);
                return value switch
                {
                    JinjaUndefined => new List<object?>(),
                    PyDict dict => Methods.Items(dict),
                    _ => throw TemplateError.Type("Can only get item pairs from a mapping."),
                };
            case "default" or "d":
                object? fallback = args.Get(0, "default_value", "");
                bool boolean = PyOps.IsTrue(args.Get(1, "boolean", false));
                args.EnsureNoExtra(2, name);
                return value is JinjaUndefined || (boolean && !PyOps.IsTrue(value)) ? fallback : value;
            case "join":
                return Join(value, args);
            case "replace":
                string old = PyFormat.Str(args.Required(0, "old", name));
                string replacement = PyFormat.Str(args.Required(1, "new", name));
                object? count = args.Get(2, "count", null);
                args.EnsureNoExtra(3, name);
                return StringMethods.Replace(PyFormat.Str(value), old, replacement, count is long c ? c : -1);
            case "int":
                return ToInt(value, args);
            case "float":
                object? floatDefault = args.Get(0, "default", 0.0);
                args.EnsureNoExtra(1, name);
                return ToFloat(value) ?? floatDefault;
            case "abs":
                args.EnsureNoExtra(0, name);
                return value switch
                {
                    long l => checked(Math.Abs(l)),
                    double f => (object)Math.Abs(f),
                    bool b => b ? 1L : 0L,
                    _ => throw TemplateError.Type($"Bad operand type for abs(): '{PyFormat.TypeName(value)}'."),
                };
            case "round":
                return Round(value, args);
            case "tojson":
                return ToJson(value, args);
            case "indent":
                return Indent(PyFormat.Str(value), args);
            case "wordcount":
                return Done(args, 0, name, (long)PyFormat.Str(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
            case "center":
                long width = args.Get(0, "width", 80L) is long w ? w : 80;
                args.EnsureNoExtra(1, name);
                return Center(PyFormat.Str(value), (int)width);
            case "attr":
                string attribute = PyFormat.Str(args.Required(0, "name", name));
                args.EnsureNoExtra(1, name);
                return value is PyDict ? (Methods.TryBind(value, attribute, out var method) ? method : JinjaUndefined.Attribute(value, attribute))
                    : Access.GetAttribute(value, attribute);
            default:
                return ApplySequenceFilter(name, value, args);
        }
    }

    private static object? Done(CallArguments args, int maxPositional, string name, object? result)
    {
        args.EnsureNoExtra(maxPositional, name);
        return result;
    }

    private static string Escape(string s)
    {
        var builder = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&#34;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    // Jinja's title filter: words begin after '-', white space, or an opening bracket.
    private static string Title(string s)
    {
        var builder = new StringBuilder(s.Length);
        bool wordStart = true;
        foreach (char c in s)
        {
            bool separator = c is '-' or '(' or '{' or '[' or '<' || PyString.IsSpace(c);
            builder.Append(separator ? c : wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            wordStart = separator;
        }

        return builder.ToString();
    }

    private static string Join(object? value, CallArguments args)
    {
        string separator = PyFormat.Str(args.Get(0, "d", ""));
        object? attribute = args.Get(1, "attribute", null);
        args.EnsureNoExtra(2, "join");
        var items = PyOps.Iterate(value);
        if (attribute is not null)
        {
            items = items.Select(item => AttributePath(item, attribute)).ToList();
        }

        return string.Join(separator, items.Select(PyFormat.Str));
    }

    private static object? ToInt(object? value, CallArguments args)
    {
        object? fallback = args.Get(0, "default", 0L);
        long numberBase = args.Get(1, "base", 10L) is long b ? b : 10;
        args.EnsureNoExtra(2, "int");
        switch (value)
        {
            case long or bool:
                return value is bool flag ? (flag ? 1L : 0L) : value;
            case double d:
                return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string s:
                string text = PyString.Strip(s, null, left: true, right: true).Replace("_", "", StringComparison.Ordinal);
                if (numberBase == 10 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed))
                {
                    return parsed;
                }

                if (numberBase is 2 or 8 or 16)
                {
                    try
                    {
                        return Convert.ToInt64(text, (int)numberBase);
                    }
                    catch (FormatException)
                    {
                        return fallback;
                    }
                }

                return ToFloat(value) is double f && double.IsFinite(f) ? (long)Math.Truncate(f) : fallback;
            default:
                return fallback;
        }
    }

    private static double? ToFloat(object? value) => value switch
    {
        double d => d,
        long l => l,
        bool b => b ? 1.0 : 0.0,
        string s => ParseFloat(PyString.Strip(s, null, left: true, right: true)),
        _ => null,
    };

    private static double? ParseFloat(string text) => text.ToLowerInvariant() switch
    {
        "inf" or "+inf" or "infinity" or "+infinity" => double.PositiveInfinity,
        "-inf" or "-infinity" => double.NegativeInfinity,
        "nan" or "+nan" or "-nan" => double.NaN,
        _ => double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : null,
    };

    private static object? Round(object? value, CallArguments args)
    {
        long precision = args.Get(0, "precision", 0L) is long p ? p : 0;
        string method = PyFormat.Str(args.Get(1, "method", "common"));
        args.EnsureNoExtra(2, "round");
        if (value is long or bool && method == "common")
        {
            return value is bool b ? (b ? 1L : 0L) : value;
        }

        double number = ToFloat(value) ?? throw TemplateError.Type($"round() needs a number, not {PyFormat.TypeName(value)}.");
        double scale = Math.Pow(10, precision);
        return method switch
        {
            "common" => Math.Round(number, (int)Math.Clamp(precision, 0, 15), MidpointRounding.ToEven),
            "ceil" => Math.Ceiling(number * scale) / scale,
            "floor" => Math.Floor(number * scale) / scale,
            _ => throw TemplateError.Type("method must be common, ceil or floor."),
        };
    }

    // transformers' tojson: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False).
    private static string ToJson(object? value, CallArguments args)
    {
        bool ensureAscii = PyOps.IsTrue(args.Get(0, "ensure_ascii", false));
        object? indent = args.Get(1, "indent", null);
        object? separators = args.Get(2, "separators", null);
        bool sortKeys = PyOps.IsTrue(args.Get(3, "sort_keys", false));
        args.EnsureNoExtra(4, "tojson");
        string? indentText = indent switch
        {
            null => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            string s => s,
            _ => throw TemplateError.Type("tojson indent must be an integer or a string."),
        };
        string? itemSeparator = null;
        string? keySeparator = null;
        if (separators is IReadOnlyList<object?> { Count: 2 } pair && pair[0] is string item && pair[1] is string key)
        {
            itemSeparator = item;
            keySeparator = key;
        }
        else if (separators is not null)
        {
            throw TemplateError.Type("tojson separators must be a pair of strings.");
        }

        return new JsonFormat(indentText, itemSeparator, keySeparator, ensureAscii, sortKeys).Serialize(value);
    }

    // Jinja's indent: lines after the first are indented; blank lines only when blank=True; first line when first=True.
    private static string Indent(string s, CallArguments args)
    {
        object? width = args.Get(0, "width", 4L);
        bool first = PyOps.IsTrue(args.Get(1, "first", false));
        bool blank = PyOps.IsTrue(args.Get(2, "blank", false));
        args.EnsureNoExtra(3, "indent");
        string indentation = width is string text ? text : new string(' ', (int)(width is long n ? Math.Max(0, n) : 4));
        var lines = PyString.SplitLines(s + "\n");
        string result;
        if (blank)
        {
            result = string.Join("\n" + indentation, lines);
        }
        else
        {
            result = lines[0];
            if (lines.Count > 1)
            {
                result += "\n" + string.Join("\n", lines.Skip(1).Select(line => line.Length > 0 ? indentation + line : line));
            }
        }

        return first ? indentation + result : result;
    }

    private static string Center(string s, int width)
    {
        int length = (int)PyString.Length(s);
        if (width <= length)
        {
            return s;
        }

        int total = width - length;
        int left = (total / 2) + (total & width & 1);
        return new string(' ', left) + s + new string(' ', total - left);
    }
}
