using System.Text.Json;
using System.Text.Json.Nodes;

namespace LoraBuild.Fuzz.Mutation;

/// <summary>
/// Structure-aware edits of a JSON document: a value changes type, becomes a huge or odd number, a deep nest, a long
/// or strange string; properties are removed, duplicated or added under names the seeds use. Edits that a
/// <see cref="JsonNode"/> cannot hold (duplicate keys, raw number text, nesting past its depth limit) go in as
/// placeholders that are replaced in the serialized text.
/// </summary>
internal static class JsonMutator
{
    private const string Marker = "\u0001fuzz";

    private static readonly string[] s_numbers =
        ["0", "-1", "-0", "1e400", "-1e400", "1.5", "2147483648", "-2147483649", "9223372036854775808", "18446744073709551616", "1e-400", "0.0000001", "123456789012345678901234567890"];

    private static readonly string[] s_strings =
        ["", " ", "\0", "\uD800", "\uDFFF", "\u202E", "😀", "../../etc/passwd", "/abs", "C:\\x", "null", "{{", "{%", "<s>", "\t\r\n", "LORA", "all-linear", "a/b"];

    // Escapes JsonNode would never write: lone or reversed surrogates.
    private static readonly string[] s_rawStrings = ["\"\\uD800\"", "\"a\\uDC00\"", "\"\\uDE00\\uD83D\"", "\"\\uD83Dx\""];

    private static readonly JsonDocumentOptions s_parse = new() { MaxDepth = 256 };

    /// <summary>Parses <paramref name="json"/> once, for <see cref="Mutate(SplitMix64, JsonNode, IReadOnlyList{string})"/>.</summary>
    public static JsonNode? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: s_parse);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The property names found anywhere in <paramref name="node"/>.</summary>
    public static IEnumerable<string> PropertyNames(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => PropertyNames(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(PropertyNames),
        _ => [],
    };

    /// <summary>Applies one to four edits to a copy of <paramref name="seed"/> and returns the JSON text.</summary>
    public static string Mutate(SplitMix64 random, JsonNode seed, IReadOnlyList<string> keys)
    {
        var root = seed.DeepClone();
        var replacements = new List<string>();
        var edits = 1 + random.Below(4);
        for (var i = 0; i < edits; i++)
        {
            root = Edit(random, root, keys, replacements);
        }

        var text = root.ToJsonString();
        for (var i = replacements.Count - 1; i >= 0; i--)
        {
            text = text.Replace($"\"{Marker}{i}\"", replacements[i], StringComparison.Ordinal);
        }

        return text;
    }

    private static JsonNode Edit(SplitMix64 random, JsonNode root, IReadOnlyList<string> keys, List<string> replacements)
    {
        var (parent, key, index) = PickLocation(random, root);
        var current = parent is null ? root : parent is JsonObject o ? o[key!] : ((JsonArray)parent)[index];
        JsonNode? replacement;
        switch (random.Below(11))
        {
            case 0:
                replacement = Raw(random.Pick(s_numbers), replacements);
                break;
            case 1:
                replacement = random.Chance(4) ? Raw(random.Pick(s_rawStrings), replacements) : random.Pick(s_strings);
                break;
            case 2:
                replacement = new string(random.Pick(['a', 'é', '\u4e00', '0']), random.Pick([256, 4096, 100_000]));
                break;
            case 3:
                var depth = random.Pick([70, 1000, 10_000]);
                var inner = current?.ToJsonString() ?? "null";
                replacement = Raw(random.Chance(2)
                    ? new string('[', depth) + inner + new string(']', depth)
                    : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + inner + new string('}', depth), replacements);
                break;
            case 4:
                replacement = random.Pick<JsonNode?>([null, true, false, new JsonArray(), new JsonObject(), JsonValue.Create(7)]);
                break;
            case 5 when parent is JsonObject obj:
                obj.Remove(key!);
                return root;
            case 6 when parent is JsonObject obj && current is not null:
                // A duplicate key: the placeholder property is renamed to the real key in the text.
                obj[$"{Marker}{replacements.Count}"] = current.DeepClone();
                replacements.Add(JsonSerializer.Serialize(key));
                return root;
            case 7 when current is JsonObject target && keys.Count > 0:
                target[random.Pick(keys)] = random.Pick<JsonNode?>([null, "x", 1, -5, true, new JsonArray(), new JsonObject()]);
                return root;
            case 8 when current is JsonArray array && array.Count > 0:
                var item = array[random.Below(array.Count)]?.DeepClone();
                for (var copies = random.Pick([1, 2, 50]); copies > 0; copies--)
                {
                    array.Add(item?.DeepClone());
                }

                return root;
            case 9 when current is JsonArray array && array.Count > 0:
                array.RemoveAt(random.Below(array.Count));
                return root;
            default:
                replacement = current switch
                {
                    JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(value.GetValue<string>() + random.Pick(s_strings)),
                    JsonValue value when value.GetValueKind() == JsonValueKind.Number => Raw(random.Pick(s_numbers), replacements),
                    _ => random.Pick(s_strings),
                };
                break;
        }

        if (parent is null)
        {
            return replacement ?? Raw("null", replacements);
        }

        if (parent is JsonObject owner)
        {
            owner[key!] = replacement;
        }
        else
        {
            ((JsonArray)parent)[index] = replacement;
        }

        return root;
    }

    private static JsonValue Raw(string text, List<string> replacements)
    {
        replacements.Add(text);
        return JsonValue.Create($"{Marker}{replacements.Count - 1}");
    }

    private static (JsonNode? Parent, string? Key, int Index) PickLocation(SplitMix64 random, JsonNode root)
    {
        JsonNode? parent = null;
        string? key = null;
        var index = -1;
        var current = root;
        while (current is not null && !random.Chance(3))
        {
            switch (current)
            {
                case JsonObject o when o.Count > 0:
                    var property = o.GetAt(random.Below(o.Count));
                    (parent, key, index, current) = (o, property.Key, -1, property.Value);
                    break;
                case JsonArray a when a.Count > 0:
                    var at = random.Below(a.Count);
                    (parent, key, index, current) = (a, null, at, a[at]);
                    break;
                default:
                    return (parent, key, index);
            }
        }

        return (parent, key, index);
    }
}
