using System.Text.Json.Nodes;

namespace LoraBuild.Core.Tests.Models;

/// <summary>Builds config.json variants by editing a published one.</summary>
internal static class ConfigJson
{
    public static string With(string json, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        edit(root);
        return root.ToJsonString();
    }

    public static string Without(string json, string field) => With(json, root => root.Remove(field));
}
