using System.Text;

namespace LoraBuild.Core.Jinja;

/// <summary>Python semantics of the values: truth, equality, ordering, arithmetic, membership, iteration.</summary>
internal static class PyOps
{
    public static bool IsTrue(object? value) => value switch
    {
        null or JinjaUndefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        object?[] t => t.Length > 0,
        List<object?> l => l.Count > 0,
        PyDict d => d.Count > 0,
        _ => true,
    };

    public static bool IsNumber(object? value) => value is long or double or bool;

    private static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException("not a number"),
    };

    private static long ToLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new InvalidOperationException("not an integer"),
    };

    private static bool IsInteger(object? value) => value is long or bool;

    public static bool AreEqual(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return IsInteger(a) && IsInteger(b) ? ToLong(a) == ToLong(b) : ToDouble(a) == ToDouble(b);
        }

        switch (a)
        {
            case null:
                return b is null;
            case string s:
                return b is string t && string.Equals(s, t, StringComparison.Ordinal);
            case JinjaUndefined:
                return b is JinjaUndefined;
            case object?[] tuple:
                return b is object?[] otherTuple && SequenceEqual(tuple, otherTuple);
            case List<object?> list:
                return b is List<object?> otherList && SequenceEqual(list, otherList);
            case PyDict dict:
                if (b is not PyDict otherDict || dict.Count != otherDict.Count)
                {
                    return false;
                }

                foreach (var (key, value) in dict)
                {
                    if (!otherDict.TryGetValue(key, out object? other) || !AreEqual(value, other))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return ReferenceEquals(a, b);
        }
    }

    private static bool SequenceEqual(IReadOnlyList<object?> x, IReadOnlyList<object?> y)
    {
        if (x.Count != y.Count)
        {
            return false;
        }

        for (int i = 0; i < x.Count; i++)
        {
            if (!AreEqual(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Python ordering: numbers with numbers, strings by code point, sequences lexicographically.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return IsInteger(a) && IsInteger(b) ? ToLong(a).CompareTo(ToLong(b)) : ToDouble(a).CompareTo(ToDouble(b));
        }

        if (a is string s && b is string t)
        {
            return HasSurrogates(s, t) ? CompareCodePoints(s, t) : Math.Sign(string.CompareOrdinal(s, t));
        }

        if (a is IReadOnlyList<object?> x && b is IReadOnlyList<object?> y && a.GetType() == b.GetType())
        {
            for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                if (!AreEqual(x[i], y[i]))
                {
                    return Compare(x[i], y[i], op);
                }
            }

            return x.Count.CompareTo(y.Count);
        }

        if (a is JinjaUndefined u)
        {
            throw TemplateError.Undefined(u);
        }

        if (b is JinjaUndefined v)
        {
            throw TemplateError.Undefined(v);
        }

        throw TemplateError.Type($"'{op}' not supported between instances of '{PyFormat.TypeName(a)}' and '{PyFormat.TypeName(b)}'.");
    }

    private static bool HasSurrogates(string s, string t) =>
        s.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 || t.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    private static int CompareCodePoints(string s, string t)
    {
        var x = s.EnumerateRunes().GetEnumerator();
        var y = t.EnumerateRunes().GetEnumerator();
        while (true)
        {
            bool hasX = x.MoveNext();
            bool hasY = y.MoveNext();
            if (!hasX || !hasY)
            {
                return hasX.CompareTo(hasY);
            }

            int c = x.Current.Value.CompareTo(y.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }

    public static bool Contains(object? container, object? item) => container switch
    {
        string s when item is string t => s.Contains(t, StringComparison.Ordinal),
        string => throw TemplateError.Type($"'in <string>' requires string as left operand, not {PyFormat.TypeName(item)}."),
        PyDict d => item is not null and not JinjaUndefined && d.ContainsKey(item),
        IReadOnlyList<object?> list => list.Any(x => AreEqual(x, item)),
        JinjaUndefined => false,
        _ => throw TemplateError.Type($"Argument of type '{PyFormat.TypeName(container)}' is not iterable."),
    };

    /// <summary>The items a for loop or filter sees: list and tuple items, dict keys, string characters; undefined is empty.</summary>
    public static IReadOnlyList<object?> Iterate(object? value) => value switch
    {
        IReadOnlyList<object?> list => list,
        PyDict d => [.. d.Keys],
        string s => PyString.Characters(s),
        JinjaUndefined => [],
        _ => throw TemplateError.Type($"'{PyFormat.TypeName(value)}' object is not iterable."),
    };

    public static long Length(object? value) => value switch
    {
        string s => PyString.Length(s),
        IReadOnlyList<object?> list => list.Count,
        PyDict d => d.Count,
        JinjaUndefined => 0,
        _ => throw TemplateError.Type($"Object of type '{PyFormat.TypeName(value)}' has no len()."),
    };

    public static object? Negate(object? value) => value switch
    {
        long l => checked(-l),
        double d => (object)(-d),
        bool b => b ? -1L : 0L,
        JinjaUndefined u => throw TemplateError.Undefined(u),
        _ => throw TemplateError.Type($"Bad operand type for unary -: '{PyFormat.TypeName(value)}'."),
    };

    public static object? Binary(string op, object? a, object? b)
    {
        if (a is JinjaUndefined u)
        {
            throw TemplateError.Undefined(u);
        }

        if (b is JinjaUndefined v)
        {
            throw TemplateError.Undefined(v);
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return Arithmetic(op, a, b);
        }

        switch (op)
        {
            case "+" when a is string s && b is string t:
                return s + t;
            case "+" when a is List<object?> x && b is List<object?> y:
                return new List<object?>([.. x, .. y]);
            case "+" when a is object?[] x && b is object?[] y:
                return (object?[])[.. x, .. y];
            case "*" when a is string s && IsInteger(b):
                return Repeat(s, ToLong(b));
            case "*" when IsInteger(a) && b is string t:
                return Repeat(t, ToLong(a));
            case "*" when a is List<object?> x && IsInteger(b):
                return Enumerable.Repeat(x, (int)Math.Max(0, ToLong(b))).SelectMany(i => i).ToList();
            case "%" when a is string:
                throw new TemplateError(JinjaErrorCodes.TemplateUnsupported, "printf-style string formatting with '%' is not supported.");
        }

        throw TemplateError.Type($"Unsupported operand type(s) for {op}: '{PyFormat.TypeName(a)}' and '{PyFormat.TypeName(b)}'.");
    }

    private static string Repeat(string s, long count)
    {
        var builder = new StringBuilder();
        for (long i = 0; i < count; i++)
        {
            builder.Append(s);
        }

        return builder.ToString();
    }

    private static object? Arithmetic(string op, object? a, object? b)
    {
        if (op == "/")
        {
            double divisor = ToDouble(b);
            return divisor == 0 ? throw TemplateError.Type("division by zero.") : ToDouble(a) / divisor;
        }

        if (IsInteger(a) && IsInteger(b))
        {
            long x = ToLong(a);
            long y = ToLong(b);
            return op switch
            {
                "+" => checked(x + y),
                "-" => checked(x - y),
                "*" => checked(x * y),
                "//" => y == 0 ? throw TemplateError.Type("integer division or modulo by zero.") : FloorDiv(x, y),
                "%" => y == 0 ? throw TemplateError.Type("integer division or modulo by zero.") : x - (FloorDiv(x, y) * y),
                "**" => y < 0 ? Math.Pow(x, y) : (object)IntPower(x, y),
                _ => throw TemplateError.Type($"Unknown operator {op}."),
            };
        }

        double p = ToDouble(a);
        double q = ToDouble(b);
        return op switch
        {
            "+" => p + q,
            "-" => p - q,
            "*" => p * q,
            "//" => q == 0 ? throw TemplateError.Type("float floor division by zero.") : Math.Floor(p / q),
            "%" => q == 0 ? throw TemplateError.Type("float modulo.") : p - (Math.Floor(p / q) * q),
            "**" => Math.Pow(p, q),
            _ => throw TemplateError.Type($"Unknown operator {op}."),
        };
    }

    private static long FloorDiv(long x, long y)
    {
        long quotient = x / y;
        return (x % y != 0) && ((x < 0) != (y < 0)) ? quotient - 1 : quotient;
    }

    private static long IntPower(long x, long y)
    {
        long result = 1;
        while (y > 0)
        {
            if ((y & 1) == 1)
            {
                result = checked(result * x);
            }

            y >>= 1;
            if (y > 0)
            {
                x = checked(x * x);
            }
        }

        return result;
    }
}
