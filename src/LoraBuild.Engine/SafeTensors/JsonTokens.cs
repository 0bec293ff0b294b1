using System.Text.Json;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>Small steps over a <see cref="Utf8JsonReader"/> that always holds a complete document.</summary>
internal static class JsonTokens
{
    /// <summary>Moves to the next token; running out of input inside a value is malformed JSON.</summary>
    public static void Advance(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("Unexpected end of JSON.");
        }
    }

    /// <summary>Inside an object: moves to the next property and returns its name, or null at the closing brace.</summary>
    public static string? NextProperty(ref Utf8JsonReader reader)
    {
        Advance(ref reader);
        return reader.TokenType == JsonTokenType.EndObject ? null : reader.GetString();
    }

    public static string Describe(JsonTokenType tokenType) => tokenType switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => tokenType.ToString(),
    };
}
