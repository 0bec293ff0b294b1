using System.Globalization;
using System.Text;

namespace LoraBuild.Core.Jinja;

/// <summary>
/// Python's <c>json.dumps</c> with the options transformers' <c>tojson</c> filter exposes (<c>ensure_ascii</c> off by
/// default, <c>indent</c>, <c>separators</c>, <c>sort_keys</c>): no HTML escaping, keys in insertion order, Python float text.
/// </summary>
internal sealed class JsonFormat
{
    private readonly string? _indent;
    private readonly string _itemSeparator;
    private readonly string _keySeparator;
    private readonly bool _ensureAscii;
    private readonly bool _sortKeys;

    public JsonFormat(string? indent, string? itemSeparator, string? keySeparator, bool ensureAscii, bool sortKeys)
    {
        _indent = indent;
        _itemSeparator = itemSeparator ?? (indent is null ? ", " : ",");
        _keySeparator = keySeparator ?? ": ";
        _ensureAscii = ensureAscii;
        _sortKeys = sortKeys;
    }

    public string Serialize(object? value)
    {
        var builder = new StringBuilder();
        Write(builder, value, 0);
        return builder.ToString();
    }

    private void Write(StringBuilder builder, object? value, int depth)
    {
        switch (value)
        {
            case null:
                builder.Append("null");
                break;
            case bool b:
                builder.Append(b ? "true" : "false");
                break;
            case long l:
                builder.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                builder.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyFormat.Float(d));
                break;
            case string s:
                WriteString(builder, s);
                break;
            case IReadOnlyList<object?> list:
                WriteContainer(builder, '[', ']', list.Count, depth, list.Select<object?, Action>(item => () => Write(builder, item, depth + 1)));
                break;
            case PyDict dict:
                IEnumerable<KeyValuePair<object, object?>> entries = dict;
                var keyed = entries.Select(pair => (Key: KeyText(pair.Key), pair.Value));
                if (_sortKeys)
                {
                    keyed = keyed.OrderBy(pair => pair.Key, StringComparer.Ordinal);
                }

                WriteContainer(builder, '{', '}', dict.Count, depth, keyed.Select<(string Key, object? Value), Action>(pair => () =>
                {
                    WriteString(builder, pair.Key);
                    builder.Append(_keySeparator);
                    Write(builder, pair.Value, depth + 1);
                }));
                break;
            case JinjaUndefined undefined:
                throw TemplateError.Undefined(undefined);
            default:
                throw TemplateError.Type($"Object of type {PyFormat.TypeName(value)} is not JSON serializable.");
        }
    }

    private void WriteContainer(StringBuilder builder, char open, char close, int count, int depth, IEnumerable<Action> items)
    {
        builder.Append(open);
        if (count == 0)
        {
            builder.Append(close);
            return;
        }

        bool first = true;
        foreach (Action item in items)
        {
            if (!first)
            {
                builder.Append(_itemSeparator);
            }

            first = false;
            NewLine(builder, depth + 1);
            item();
        }

        NewLine(builder, depth);
        builder.Append(close);
    }

    private void NewLine(StringBuilder builder, int depth)
    {
        if (_indent is null)
        {
            return;
        }

        builder.Append('\n');
        for (int i = 0; i < depth; i++)
        {
            builder.Append(_indent);
        }
    }

    private static string KeyText(object key) => key switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => PyFormat.Float(d),
        _ => throw TemplateError.Type($"Keys must be str, int, float, bool or None, not {PyFormat.TypeName(key)}."),
    };

    private void WriteString(StringBuilder builder, string s)
    {
        builder.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                default:
                    if (c < ' ' || (_ensureAscii && c > '\x7f'))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
