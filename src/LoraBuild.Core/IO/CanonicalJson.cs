using System.Text.Json.Nodes;

namespace LoraBuild.Core.IO;

/// <summary>JSON with object keys in ordinal order at every level, so that equal content serializes to equal bytes.</summary>
public static class CanonicalJson
{
    public static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, SortKeys(kv.Value)))),
        JsonArray array => new JsonArray([.. array.Select(SortKeys)]),
        _ => node?.DeepClone(),
    };
}
