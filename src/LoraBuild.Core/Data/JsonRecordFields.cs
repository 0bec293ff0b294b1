using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>Typed access to the fields of one JSON record, with errors located at the record.</summary>
internal readonly struct JsonRecordFields
{
    private readonly JsonElement _record;
    private readonly string _pathPrefix;

    /// <param name="record">A JSON object.</param>
    /// <param name="location">Where the record starts, as <c>path:line</c>.</param>
    /// <param name="pathPrefix">How errors name this object's fields when it is nested, e.g. <c>messages[2].</c>.</param>
    public JsonRecordFields(JsonElement record, string location, string pathPrefix = "")
    {
        _record = record;
        _pathPrefix = pathPrefix;
        Location = location;
    }

    /// <summary>Where the record starts, as <c>path:line</c>.</summary>
    public string Location { get; }

    /// <summary>A string field that must be present; extra fields elsewhere in the record are ignored.</summary>
    public string RequiredString(string name)
    {
        if (!_record.TryGetProperty(name, out var value))
        {
            throw Missing(name);
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(name, "a string", value);
    }

    /// <summary>A string field that may be absent or <c>null</c>; returns <see langword="null"/> then.</summary>
    public string? OptionalString(string name)
    {
        if (!_record.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(name, "a string", value);
    }

    /// <summary>An array field that must be present.</summary>
    public JsonElement RequiredArray(string name)
    {
        if (!_record.TryGetProperty(name, out var value))
        {
            throw Missing(name);
        }

        return value.ValueKind == JsonValueKind.Array ? value : throw WrongType(name, "an array", value);
    }

    public LoraException Missing(string name) =>
        new(DataErrorCodes.FieldMissing, $"The record has no \"{_pathPrefix}{name}\" field.", Location);

    public LoraException WrongType(string name, string expected, JsonElement found) =>
        new(DataErrorCodes.FieldWrongType, $"\"{_pathPrefix}{name}\" must be {expected}, but is {Describe(found.ValueKind)}.", Location);

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "undefined",
    };
}
