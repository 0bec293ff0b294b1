namespace LoraBuild.Core.Jinja;

/// <summary>
/// <c>x.name</c> and <c>x[key]</c> as Jinja resolves them: an attribute (a method) first and then the item for
/// <c>.</c>, the item first and then the attribute for <c>[]</c>; anything missing is undefined.
/// </summary>
internal static class Access
{
    public static object? GetAttribute(object? target, string name)
    {
        switch (target)
        {
            case JinjaUndefined undefined:
                throw TemplateError.Undefined(undefined);
            case JinjaNamespace ns:
                return ns.Attributes.TryGetValue(name, out object? value) ? value : JinjaUndefined.Attribute(target, name);
            case LoopContext loop:
                return loop.GetAttribute(name);
        }

        if (Methods.TryBind(target, name, out ICallableValue? method))
        {
            return method;
        }

        if (target is PyDict dict && dict.TryGetValue(name, out object? item))
        {
            return item;
        }

        return JinjaUndefined.Attribute(target, name);
    }

    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case JinjaUndefined undefined:
                throw TemplateError.Undefined(undefined);
            case PyDict dict when key is not null and not JinjaUndefined and not List<object?> and not PyDict:
                if (dict.TryGetValue(key, out object? value))
                {
                    return value;
                }

                break;
            case IReadOnlyList<object?> list when key is long or bool:
                long index = key is bool b ? (b ? 1 : 0) : (long)key;
                if (index < 0)
                {
                    index += list.Count;
                }

                return index >= 0 && index < list.Count ? list[(int)index] : MissingItem(target, key);
            case string s when key is long or bool:
                return PyString.Index(s, key is bool c ? (c ? 1 : 0) : (long)key) ?? MissingItem(target, key);
        }

        return key is string name ? GetAttribute(target, name) : MissingItem(target, key);
    }

    private static JinjaUndefined MissingItem(object? target, object? key) =>
        new($"'{PyFormat.TypeDescription(target)}' has no element {PyFormat.Repr(key)}");

    public static object? Slice(object? target, long? start, long? stop, long? step) => target switch
    {
        string s => PyString.Slice(s, start, stop, step),
        object?[] tuple => Slicing.Apply(tuple, start, stop, step).ToArray(),
        IReadOnlyList<object?> list => Slicing.Apply(list, start, stop, step),
        JinjaUndefined undefined => throw TemplateError.Undefined(undefined),
        _ => throw TemplateError.Type($"'{PyFormat.TypeName(target)}' object is not subscriptable."),
    };
}
