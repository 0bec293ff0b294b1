using System.Diagnostics.CodeAnalysis;

namespace LoraBuild.Core.Jinja;

/// <summary>The Python methods templates call on values: <c>str.strip</c>, <c>dict.items</c>, <c>list.index</c>, …</summary>
internal static class Methods
{
    public static bool TryBind(object? target, string name, [NotNullWhen(true)] out ICallableValue? method)
    {
        Func<CallArguments, object?>? body = target switch
        {
            string s => StringMethods.Find(s, name),
            PyDict d => DictMethod(d, name),
            IReadOnlyList<object?> l => ListMethod(l, name),
            _ => null,
        };
        method = body is null ? null : new BuiltinFunction(name, (arguments, _) => body(arguments));
        return method is not null;
    }

    private static Func<CallArguments, object?>? DictMethod(PyDict dict, string name) => name switch
    {
        "items" => args => NoArguments(args, "items", () => Items(dict)),
        "keys" => args => NoArguments(args, "keys", () => dict.Keys.ToList<object?>()),
        "values" => args => NoArguments(args, "values", () => dict.Values.ToList()),
        "get" => args =>
        {
            object? key = args.Required(0, "key", "get");
            object? fallback = args.Get(1, "default", null);
            args.EnsureNoExtra(2, "get");
            return key is not null && dict.TryGetValue(key, out object? value) ? value : fallback;
        },
        _ => null,
    };

    public static List<object?> Items(PyDict dict) => dict.Select(pair => (object?)new object?[] { pair.Key, pair.Value }).ToList();

    private static Func<CallArguments, object?>? ListMethod(IReadOnlyList<object?> list, string name) => name switch
    {
        "index" => args =>
        {
            object? item = args.Required(0, "value", "index");
            args.EnsureNoExtra(1, "index");
            for (int i = 0; i < list.Count; i++)
            {
                if (PyOps.AreEqual(list[i], item))
                {
                    return (long)i;
                }
            }

            throw TemplateError.Type($"{PyFormat.Repr(item)} is not in list.");
        },
        "count" => args =>
        {
            object? item = args.Required(0, "value", "count");
            args.EnsureNoExtra(1, "count");
            return (long)list.Count(x => PyOps.AreEqual(x, item));
        },
        _ => null,
    };

    internal static object? NoArguments(CallArguments arguments, string name, Func<object?> body)
    {
        arguments.EnsureNoExtra(0, name);
        return body();
    }
}
