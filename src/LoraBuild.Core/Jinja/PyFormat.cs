using System.Globalization;
using System.Text;

namespace LoraBuild.Core.Jinja;

/// <summary>Python's <c>str()</c> and <c>repr()</c> of template values, which is how Jinja prints them.</summary>
internal static class PyFormat
{
    public static string Str(object? value) => value switch
    {
        string s => s,
        JinjaUndefined => "",
        _ => Repr(value),
    };

    public static string Repr(object? value)
    {
        var builder = new StringBuilder();
        AppendRepr(builder, value);
        return builder.ToString();
    }

    private static void AppendRepr(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case null:
                builder.Append("None");
                break;
            case bool b:
                builder.Append(b ? "True" : "False");
                break;
            case long l:
                builder.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                builder.Append(Float(d));
                break;
            case string s:
                AppendStringRepr(builder, s);
                break;
            case object?[] tuple:
                builder.Append('(');
                AppendItems(builder, tuple);
                builder.Append(tuple.Length == 1 ? ",)" : ")");
                break;
            case List<object?> list:
                builder.Append('[');
                AppendItems(builder, list);
                builder.Append(']');
                break;
            case PyDict dict:
                builder.Append('{');
                bool first = true;
                foreach (var (key, item) in dict)
                {
                    builder.Append(first ? "" : ", ");
                    first = false;
                    AppendRepr(builder, key);
                    builder.Append(": ");
                    AppendRepr(builder, item);
                }

                builder.Append('}');
                break;
            case JinjaUndefined:
                builder.Append("Undefined");
                break;
            case JinjaNamespace ns:
                builder.Append("<Namespace {");
                builder.AppendJoin(", ", ns.Attributes.Select(a => $"{Repr(a.Key)}: {Repr(a.Value)}"));
                builder.Append("}>");
                break;
            default:
                builder.Append(value.ToString());
                break;
        }
    }

    private static void AppendItems(StringBuilder builder, IEnumerable<object?> items)
    {
        bool first = true;
        foreach (object? item in items)
        {
            builder.Append(first ? "" : ", ");
            first = false;
            AppendRepr(builder, item);
        }
    }

    // Python quotes with ' unless the text holds ' and no ", and escapes what is not printable.
    private static void AppendStringRepr(StringBuilder builder, string s)
    {
        char quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        builder.Append(quote);
        foreach (Rune rune in s.EnumerateRunes())
        {
            int c = rune.Value;
            if (c == quote || c == '\\')
            {
                builder.Append('\\').Append((char)c);
            }
            else if (c == '\n')
            {
                builder.Append("\\n");
            }
            else if (c == '\r')
            {
                builder.Append("\\r");
            }
            else if (c == '\t')
            {
                builder.Append("\\t");
            }
            else if (IsPrintable(rune))
            {
                builder.Append(rune.ToString());
            }
            else if (c < 0x100)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{c:x2}");
            }
            else if (c < 0x10000)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{c:x4}");
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\U{c:x8}");
            }
        }

        builder.Append(quote);
    }

    private static bool IsPrintable(Rune rune)
    {
        if (rune.Value == ' ')
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, fixed notation for exponents -4 to 15.</summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        string shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        (string digits, int exponent) = Decompose(shortest);
        string sign = value < 0 ? "-" : "";
        if (exponent is >= -4 and < 16)
        {
            string text;
            if (exponent < 0)
            {
                text = "0." + new string('0', -exponent - 1) + digits;
            }
            else if (digits.Length <= exponent + 1)
            {
                text = digits + new string('0', exponent + 1 - digits.Length) + ".0";
            }
            else
            {
                text = digits[..(exponent + 1)] + "." + digits[(exponent + 1)..];
            }

            return sign + text;
        }

        string mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        string exp = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{exp}";
    }

    // Splits .NET's shortest round-trip text into significant digits and the exponent of the first digit.
    private static (string Digits, int Exponent) Decompose(string text)
    {
        int exponent = 0;
        int e = text.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        int dot = text.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot < 0 ? text : text[..dot];
        string fracPart = dot < 0 ? "" : text[(dot + 1)..];
        string all = intPart + fracPart;
        int leadingZeros = 0;
        while (leadingZeros < all.Length - 1 && all[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        exponent += intPart.Length - 1 - leadingZeros;
        string digits = all[leadingZeros..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, exponent);
    }

    /// <summary>How Jinja names a value's type in error messages: <c>str object</c>, <c>dict object</c>.</summary>
    public static string TypeDescription(object? value) => TypeName(value) + " object";

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        object?[] => "tuple",
        List<object?> => "list",
        PyDict => "dict",
        JinjaUndefined => "Undefined",
        JinjaNamespace => "Namespace",
        LoopContext => "LoopContext",
        ICallableValue => "function",
        _ => value.GetType().Name,
    };
}
