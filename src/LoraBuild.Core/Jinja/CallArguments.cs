using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Jinja;

/// <summary>Evaluated arguments of a call, filter or test, read by position or by keyword as Python binds them.</summary>
internal sealed class CallArguments
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public CallArguments(IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> keyword, string location)
    {
        Positional = positional;
        Keyword = keyword;
        Location = location;
    }

    public IReadOnlyList<object?> Positional { get; }

    public IReadOnlyDictionary<string, object?> Keyword { get; }

    /// <summary>Where the call is in the template, for errors.</summary>
    public string Location { get; }

    public int Count => Positional.Count + Keyword.Count;

    /// <summary>The argument at <paramref name="index"/> or named <paramref name="name"/>; <paramref name="missing"/> when neither was given.</summary>
    public object? Get(int index, string name, object? missing)
    {
        _read.Add(name);
        if (index < Positional.Count)
        {
            return Positional[index];
        }

        return Keyword.TryGetValue(name, out object? value) ? value : missing;
    }

    public bool Has(int index, string name) => index < Positional.Count || Keyword.ContainsKey(name);

    public object? Required(int index, string name, string function)
    {
        if (!Has(index, name))
        {
            throw new LoraException(JinjaErrorCodes.TemplateTypeError, $"{function}() is missing the argument '{name}'.", Location);
        }

        return Get(index, name, null);
    }

    /// <summary>Fails on more positional arguments than <paramref name="maxPositional"/> or on keywords not read.</summary>
    public void EnsureNoExtra(int maxPositional, string function)
    {
        if (Positional.Count > maxPositional)
        {
            throw new LoraException(JinjaErrorCodes.TemplateTypeError,
                $"{function}() takes at most {maxPositional} positional argument(s), got {Positional.Count}.", Location);
        }

        foreach (string key in Keyword.Keys)
        {
            if (!_read.Contains(key))
            {
                throw new LoraException(JinjaErrorCodes.TemplateTypeError, $"{function}() got an unexpected keyword argument '{key}'.", Location);
            }
        }
    }
}
