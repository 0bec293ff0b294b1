namespace LoraBuild.Core.Jinja;

/// <summary>Jinja's tests (<c>x is defined</c>, <c>x is string</c>, <c>x is divisibleby 3</c>, …) with Python's type rules.</summary>
internal static class Tests
{
    public static bool Apply(string name, object? value, CallArguments args)
    {
        switch (name)
        {
            case "defined":
                return NoArgs(args, name, value is not JinjaUndefined);
            case "undefined":
                return NoArgs(args, name, value is JinjaUndefined);
            case "none":
                return NoArgs(args, name, value is null);
            case "boolean":
                return NoArgs(args, name, value is bool);
            case "true":
                return NoArgs(args, name, value is true);
            case "false":
                return NoArgs(args, name, value is false);
            case "integer":
                return NoArgs(args, name, value is long);
            case "float":
                return NoArgs(args, name, value is double);
            case "number":
                return NoArgs(args, name, value is long or double or bool);
            case "string":
                return NoArgs(args, name, value is string);
            case "mapping":
                return NoArgs(args, name, value is PyDict);
            case "iterable":
                return NoArgs(args, name, value is string or IReadOnlyList<object?> or PyDict or JinjaUndefined);
            case "sequence":
                return NoArgs(args, name, value is string or IReadOnlyList<object?> or PyDict or JinjaUndefined);
            case "callable":
                return NoArgs(args, name, value is ICallableValue);
            case "lower":
                return NoArgs(args, name, StringMethods.IsLower(PyFormat.Str(value)));
            case "upper":
                return NoArgs(args, name, StringMethods.IsUpper(PyFormat.Str(value)));
            case "odd" or "even":
                long number = value switch
                {
                    long l => l,
                    bool b => b ? 1 : 0,
                    _ => throw TemplateError.Type($"The '{name}' test needs an integer, not {PyFormat.TypeName(value)}."),
                };
                return NoArgs(args, name, (Math.Abs(number) % 2 == 1) == (name == "odd"));
            case "divisibleby":
                object? divisor = Single(args, name, "num");
                return PyOps.AreEqual(PyOps.Binary("%", value, divisor), 0L);
            case "eq" or "equalto" or "==":
                return PyOps.AreEqual(value, Single(args, name, "other"));
            case "ne" or "!=":
                return !PyOps.AreEqual(value, Single(args, name, "other"));
            case "lt" or "lessthan" or "<":
                return PyOps.Compare(value, Single(args, name, "other"), "<") < 0;
            case "le" or "<=":
                return PyOps.Compare(value, Single(args, name, "other"), "<=") <= 0;
            case "gt" or "greaterthan" or ">":
                return PyOps.Compare(value, Single(args, name, "other"), ">") > 0;
            case "ge" or ">=":
                return PyOps.Compare(value, Single(args, name, "other"), ">=") >= 0;
            case "in":
                return PyOps.Contains(Single(args, name, "seq"), value);
            case "sameas":
                object? other = Single(args, name, "other");
                return value is null ? other is null
                    : value is bool or long ? other is not null && value.GetType() == other.GetType() && PyOps.AreEqual(value, other)
                    : ReferenceEquals(value, other);
            default:
                throw new TemplateError(JinjaErrorCodes.TemplateUnsupported, $"No test named '{name}'.");
        }
    }

    private static bool NoArgs(CallArguments args, string name, bool result)
    {
        args.EnsureNoExtra(0, name);
        return result;
    }

    private static object? Single(CallArguments args, string name, string parameter)
    {
        object? value = args.Required(0, parameter, name);
        args.EnsureNoExtra(1, name);
        return value;
    }
}
