namespace LoraBuild.Core.Jinja;

/// <summary>Filters over sequences: map, select/reject(attr), unique, sort, dictsort, min, max, sum.</summary>
internal static partial class Filters
{
    private static object? ApplySequenceFilter(string name, object? value, CallArguments args)
    {
        switch (name)
        {
            case "map":
                return Map(value, args);
            case "select" or "reject":
                return Select(value, args, attribute: false, keep: name == "select");
            case "selectattr" or "rejectattr":
                return Select(value, args, attribute: true, keep: name == "selectattr");
            case "unique":
                return Unique(value, args);
            case "sort":
                return Sort(value, args);
            case "dictsort":
                return DictSort(value, args);
            case "min" or "max":
                return Extreme(value, args, name);
            case "sum":
                object? attribute = args.Get(0, "attribute", null);
                object? total = args.Get(1, "start", 0L);
                args.EnsureNoExtra(2, name);
                foreach (object? item in PyOps.Iterate(value))
                {
                    total = PyOps.Binary("+", total, attribute is null ? item : AttributePath(item, attribute));
                }

                return total;
            default:
                throw new TemplateError(JinjaErrorCodes.TemplateUnsupported, $"No filter named '{name}'.");
        }
    }

    /// <summary>Jinja's attribute getter: <c>"a.b"</c> reads item <c>a</c> then <c>b</c>; integer parts index sequences.</summary>
    internal static object? AttributePath(object? item, object? attribute)
    {
        if (attribute is long index)
        {
            return Access.GetItem(item, index);
        }

        foreach (string part in PyFormat.Str(attribute).Split('.'))
        {
            item = long.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long i)
                ? Access.GetItem(item, i)
                : Access.GetItem(item, part);
        }

        return item;
    }

    private static List<object?> Map(object? value, CallArguments args)
    {
        var items = PyOps.Iterate(value);
        if (args.Positional.Count == 0 && args.Keyword.ContainsKey("attribute"))
        {
            object? attribute = args.Get(int.MaxValue, "attribute", null);
            bool hasDefault = args.Keyword.ContainsKey("default");
            object? fallback = args.Get(int.MaxValue, "default", null);
            args.EnsureNoExtra(0, "map");
            return items.Select(item =>
            {
                object? result = AttributePath(item, attribute);
                return result is JinjaUndefined && hasDefault ? fallback : result;
            }).ToList();
        }

        if (args.Positional.Count == 0 || args.Positional[0] is not string filter)
        {
            throw TemplateError.Type("map() needs a filter name or attribute=.");
        }

        var rest = new CallArguments(args.Positional.Skip(1).ToList(), args.Keyword, args.Location);
        return items.Select(item => Apply(filter, item, rest)).ToList();
    }

    private static List<object?> Select(object? value, CallArguments args, bool attribute, bool keep)
    {
        var items = PyOps.Iterate(value);
        int next = 0;
        object? path = attribute ? args.Required(next++, "attr", "selectattr") : null;
        string? test = next < args.Positional.Count ? PyFormat.Str(args.Positional[next++]) : null;
        var testArgs = new CallArguments(args.Positional.Skip(next).ToList(), args.Keyword, args.Location);
        var kept = new List<object?>();
        foreach (object? item in items)
        {
            object? subject = attribute ? AttributePath(item, path) : item;
            bool passed = test is null ? PyOps.IsTrue(subject) : Tests.Apply(test, subject, testArgs);
            if (passed == keep)
            {
                kept.Add(item);
            }
        }

        return kept;
    }

    private static object? SortKey(object? item, bool caseSensitive, object? attribute)
    {
        object? key = attribute is null ? item : AttributePath(item, attribute);
        return !caseSensitive && key is string s ? s.ToLowerInvariant() : key;
    }

    private static List<object?> Unique(object? value, CallArguments args)
    {
        bool caseSensitive = PyOps.IsTrue(args.Get(0, "case_sensitive", false));
        object? attribute = args.Get(1, "attribute", null);
        args.EnsureNoExtra(2, "unique");
        var seen = new List<object?>();
        var result = new List<object?>();
        foreach (object? item in PyOps.Iterate(value))
        {
            object? key = SortKey(item, caseSensitive, attribute);
            if (!seen.Any(s => PyOps.AreEqual(s, key)))
            {
                seen.Add(key);
                result.Add(item);
            }
        }

        return result;
    }

    private static List<object?> Sort(object? value, CallArguments args)
    {
        bool reverse = PyOps.IsTrue(args.Get(0, "reverse", false));
        bool caseSensitive = PyOps.IsTrue(args.Get(1, "case_sensitive", false));
        object? attribute = args.Get(2, "attribute", null);
        args.EnsureNoExtra(3, "sort");
        var items = PyOps.Iterate(value);
        string[]? attributes = attribute is string text ? text.Split(',') : null;
        return StableSort(items, item => attributes is null
            ? SortKey(item, caseSensitive, attribute)
            : attributes.Select(a => SortKey(item, caseSensitive, a)).ToArray(), reverse);
    }

    private static List<object?> StableSort(IReadOnlyList<object?> items, Func<object?, object?> key, bool reverse)
    {
        var keyed = items.Select((item, index) => (Item: item, Key: key(item), Index: index)).ToList();
        keyed.Sort((a, b) =>
        {
            int c = PyOps.Compare(a.Key, b.Key, "<");
            return c != 0 ? (reverse ? -c : c) : a.Index.CompareTo(b.Index);
        });
        return keyed.Select(k => k.Item).ToList();
    }

    private static List<object?> DictSort(object? value, CallArguments args)
    {
        bool caseSensitive = PyOps.IsTrue(args.Get(0, "case_sensitive", false));
        string by = PyFormat.Str(args.Get(1, "by", "key"));
        bool reverse = PyOps.IsTrue(args.Get(2, "reverse", false));
        args.EnsureNoExtra(3, "dictsort");
        if (value is not PyDict dict)
        {
            throw TemplateError.Type("dictsort needs a mapping.");
        }

        int position = by switch
        {
            "key" => 0,
            "value" => 1,
            _ => throw TemplateError.Type("You can only sort by either 'key' or 'value'."),
        };
        return StableSort(Methods.Items(dict), pair => SortKey(((object?[])pair!)[position], caseSensitive, null), reverse);
    }

    private static object? Extreme(object? value, CallArguments args, string name)
    {
        bool caseSensitive = PyOps.IsTrue(args.Get(0, "case_sensitive", false));
        object? attribute = args.Get(1, "attribute", null);
        args.EnsureNoExtra(2, name);
        var items = PyOps.Iterate(value);
        if (items.Count == 0)
        {
            return new JinjaUndefined($"No aggregated item, sequence was empty");
        }

        object? best = items[0];
        foreach (object? item in items.Skip(1))
        {
            int c = PyOps.Compare(SortKey(item, caseSensitive, attribute), SortKey(best, caseSensitive, attribute), "<");
            if (name == "min" ? c < 0 : c > 0)
            {
                best = item;
            }
        }

        return best;
    }
}
