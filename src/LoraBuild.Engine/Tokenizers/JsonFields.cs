using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>Typed access to optional JSON fields; a field of the wrong type is an error that names the file and the field.</summary>
internal static class JsonFields
{
    /// <summary>True when <paramref name="parent"/> is an object with a non-null <paramref name="name"/> field.</summary>
    public static bool TryGet(JsonElement parent, string name, out JsonElement value)
    {
        if (parent.ValueKind == JsonValueKind.Object
            && parent.TryGetProperty(name, out value)
            && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>True for a missing section (an undefined element) or an explicit JSON null.</summary>
    public static bool IsAbsent(JsonElement element) => element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null;

    public static string? GetString(JsonElement parent, string name, string file, string field, string code)
    {
        if (!TryGet(parent, name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw WrongType(file, field, "a string", value, code);
    }

    public static bool? GetBoolean(JsonElement parent, string name, string file, string field, string code)
    {
        if (!TryGet(parent, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(file, field, "true or false", value, code),
        };
    }

    public static int? GetInt32(JsonElement parent, string name, string file, string field, string code)
    {
        if (!TryGet(parent, name, out var value))
        {
            return null;
        }

        return ToInt32(value, file, field, code);
    }

    public static int ToInt32(JsonElement value, string file, string field, string code) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : throw WrongType(file, field, "an integer", value, code);

    public static LoraException WrongType(string file, string field, string expected, JsonElement actual, string code) =>
        new(code, $"'{field}' in '{Path.GetFileName(file)}' must be {expected}, but is {Describe(actual)}.", file);

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        _ => "null",
    };
}
