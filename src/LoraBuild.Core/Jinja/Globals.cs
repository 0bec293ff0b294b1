using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Jinja;

/// <summary>The functions a chat template can call: Jinja's <c>range</c>, <c>dict</c>, <c>namespace</c> and transformers' <c>raise_exception</c>, <c>strftime_now</c>.</summary>
internal static class Globals
{
    // Jinja's sandbox refuses ranges longer than this.
    private const long MaxRange = 100_000;

    public static void AddTo(Scope scope)
    {
        scope.Set("range", new BuiltinFunction("range", (args, _) => Range(args)));
        scope.Set("dict", new BuiltinFunction("dict", (args, _) => Dict(args)));
        scope.Set("namespace", new BuiltinFunction("namespace", (args, _) => Namespace(args)));
        scope.Set("raise_exception", new BuiltinFunction("raise_exception", (args, _) =>
            throw new LoraException(JinjaErrorCodes.TemplateRaised, PyFormat.Str(args.Get(0, "message", "")), args.Location)));
        scope.Set("strftime_now", new BuiltinFunction("strftime_now", (args, interpreter) =>
        {
            object? format = args.Required(0, "format", "strftime_now");
            args.EnsureNoExtra(1, "strftime_now");
            return Strftime.Format(interpreter.Time.GetLocalNow(), PyFormat.Str(format));
        }));
    }

    private static List<object?> Range(CallArguments args)
    {
        if (args.Keyword.Count > 0 || args.Positional.Count is 0 or > 3)
        {
            throw TemplateError.Type("range() takes 1 to 3 positional integer arguments.");
        }

        var numbers = args.Positional.Select(a => a switch
        {
            long l => l,
            bool b => b ? 1L : 0L,
            _ => throw TemplateError.Type($"'{PyFormat.TypeName(a)}' object cannot be interpreted as an integer."),
        }).ToArray();
        long start = numbers.Length > 1 ? numbers[0] : 0;
        long stop = numbers.Length > 1 ? numbers[1] : numbers[0];
        long step = numbers.Length > 2 ? numbers[2] : 1;
        if (step == 0)
        {
            throw TemplateError.Type("range() arg 3 must not be zero.");
        }

        var result = new List<object?>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            if (result.Count >= MaxRange)
            {
                throw TemplateError.Type($"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
            }

            result.Add(i);
        }

        return result;
    }

    private static PyDict Dict(CallArguments args)
    {
        var dict = new PyDict();
        if (args.Positional.Count > 1)
        {
            throw TemplateError.Type("dict expected at most 1 argument.");
        }

        if (args.Positional.Count == 1)
        {
            CopyInto(dict, args.Positional[0]);
        }

        foreach (var (key, value) in args.Keyword)
        {
            dict[key] = value;
        }

        return dict;
    }

    private static void CopyInto(PyDict dict, object? source)
    {
        if (source is PyDict other)
        {
            foreach (var (key, value) in other)
            {
                dict[key] = value;
            }

            return;
        }

        foreach (object? pair in PyOps.Iterate(source))
        {
            if (pair is not IReadOnlyList<object?> { Count: 2 } kv || kv[0] is null)
            {
                throw TemplateError.Type("dictionary update sequence element must be a pair.");
            }

            dict[kv[0]!] = kv[1];
        }
    }

    private static JinjaNamespace Namespace(CallArguments args)
    {
        var source = Dict(args);
        var ns = new JinjaNamespace();
        foreach (var (key, value) in source)
        {
            ns.Attributes[PyFormat.Str(key)] = value;
        }

        return ns;
    }
}
