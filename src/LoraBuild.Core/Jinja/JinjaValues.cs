using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Jinja;

/// <summary>
/// Converts .NET values passed to a template into the interpreter's values: <see cref="string"/>, <see cref="long"/>,
/// <see cref="double"/>, <see cref="bool"/>, null, lists and insertion-ordered dictionaries. JSON
/// (<see cref="JsonElement"/>, <see cref="JsonNode"/>) keeps its key order.
/// </summary>
internal static class JinjaValues
{
    public static object? FromDotNet(object? value, string path)
    {
        switch (value)
        {
            case null or string or bool or long or double or JinjaUndefined:
                return value;
            case int or short or sbyte or byte or ushort or uint:
                return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            case ulong u:
                return u <= long.MaxValue ? (long)u : throw Unsupported(path, "an unsigned integer above Int64.MaxValue");
            case float f:
                return (double)f;
            case decimal m:
                return (double)m;
            case char c:
                return c.ToString();
            case Enum e:
                return e.ToString();
            case JsonElement element:
                return FromJson(element, path);
            case JsonNode node:
                return FromJson(JsonSerializer.SerializeToElement(node), path);
            case IDictionary<string, object?> dictionary:
                return FromPairs(dictionary, path);
            case IReadOnlyDictionary<string, object?> dictionary:
                return FromPairs(dictionary, path);
            case IDictionary dictionary:
                var dict = new PyDict();
                foreach (DictionaryEntry entry in dictionary)
                {
                    dict[Key(entry.Key, path)] = FromDotNet(entry.Value, $"{path}.{entry.Key}");
                }

                return dict;
            case IEnumerable sequence:
                var list = new List<object?>();
                int i = 0;
                foreach (object? item in sequence)
                {
                    list.Add(FromDotNet(item, $"{path}[{i++}]"));
                }

                return list;
            default:
                throw Unsupported(path, $"a {value.GetType().Name}");
        }
    }

    private static PyDict FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs, string path)
    {
        var dict = new PyDict();
        foreach (var (key, item) in pairs)
        {
            dict[key] = FromDotNet(item, $"{path}.{key}");
        }

        return dict;
    }

    private static object Key(object key, string path) => FromDotNet(key, path) switch
    {
        string or long or double or bool => FromDotNet(key, path)!,
        _ => throw Unsupported(path, $"a dictionary key of type {key.GetType().Name}"),
    };

    private static object? FromJson(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = new PyDict();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    dict[property.Name] = FromJson(property.Value, $"{path}.{property.Name}");
                }

                return dict;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select((item, i) => FromJson(item, $"{path}[{i}]")).ToList();
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out long l) && !element.GetRawText().Contains('.', StringComparison.Ordinal)
                    && !element.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase) ? l : (object)element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static LoraException Unsupported(string path, string what) =>
        new(JinjaErrorCodes.TemplateValueUnsupported, $"The template variable '{path}' holds {what}, which a chat template cannot use.", path);
}
