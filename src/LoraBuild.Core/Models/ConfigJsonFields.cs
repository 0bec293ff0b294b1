using System.Globalization;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Models;

/// <summary>Typed access to the fields of one JSON object in a config file, with located errors.</summary>
internal sealed class ConfigJsonFields
{
    private readonly JsonElement _object;
    private readonly string _location;
    private readonly string _prefix;

    public ConfigJsonFields(JsonElement jsonObject, string location, string prefix = "")
    {
        _object = jsonObject;
        _location = location;
        _prefix = prefix;
    }

    /// <summary>The value of <paramref name="name"/>, or null when it is absent or JSON <c>null</c>.</summary>
    public JsonElement? Find(string name) =>
        _object.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public bool Has(string name) => Find(name) is not null;

    /// <summary>Whether <paramref name="name"/> is present at all, JSON <c>null</c> included.</summary>
    public bool Contains(string name) => _object.TryGetProperty(name, out _);

    public int RequiredPositiveInt(string name) => OptionalPositiveInt(name) ?? throw Missing(name);

    public int? OptionalPositiveInt(string name)
    {
        var value = OptionalInt(name);
        if (value is <= 0)
        {
            throw Invalid(name, $"must be a positive integer, but is {value}");
        }

        return value;
    }

    public int? OptionalInt(string name)
    {
        if (Find(name) is not { } element)
        {
            return null;
        }

        return ReadInt(element, name);
    }

    public double RequiredPositiveDouble(string name) => OptionalPositiveDouble(name) ?? throw Missing(name);

    public double? OptionalPositiveDouble(string name)
    {
        if (Find(name) is not { } element)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value))
        {
            throw Invalid(name, $"must be a number, but is {Describe(element)}");
        }

        if (!(value > 0) || double.IsInfinity(value))
        {
            throw Invalid(name, $"must be a positive number, but is {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    public bool OptionalBool(string name, bool defaultValue)
    {
        if (Find(name) is not { } element)
        {
            return defaultValue;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(name, $"must be true or false, but is {Describe(element)}"),
        };
    }

    public string? OptionalString(string name)
    {
        if (Find(name) is not { } element)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String
            ? element.GetString()
            : throw Invalid(name, $"must be a string, but is {Describe(element)}");
    }

    /// <summary>A field that may hold one integer or an array of integers (as <c>eos_token_id</c> does).</summary>
    public IReadOnlyList<int> OptionalIntOrIntList(string name)
    {
        if (Find(name) is not { } element)
        {
            return [];
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            return [.. element.EnumerateArray().Select(item => ReadInt(item, name))];
        }

        return [ReadInt(element, name)];
    }

    public IReadOnlyList<string> OptionalStringList(string name)
    {
        if (Find(name) is not { } element)
        {
            return [];
        }

        if (element.ValueKind != JsonValueKind.Array || element.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.String))
        {
            throw Invalid(name, $"must be an array of strings, but is {Describe(element)}");
        }

        return [.. element.EnumerateArray().Select(item => item.GetString()!)];
    }

    /// <summary>The object held by <paramref name="name"/>, or null when it is absent or JSON <c>null</c>.</summary>
    public ConfigJsonFields? OptionalObject(string name)
    {
        if (Find(name) is not { } element)
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.Object
            ? new ConfigJsonFields(element, _location, FieldName(name) + ".")
            : throw Invalid(name, $"must be an object, but is {Describe(element)}");
    }

    public LoraException Missing(string name) =>
        new(ModelErrorCodes.ConfigFieldMissing,
            $"{Path.GetFileName(_location)} is missing the required field '{FieldName(name)}'.",
            _location);

    public LoraException Invalid(string name, string problem) =>
        new(ModelErrorCodes.ConfigFieldInvalid,
            $"Field '{FieldName(name)}' in {Path.GetFileName(_location)} {problem}.",
            _location);

    private string FieldName(string name) => _prefix + name;

    private int ReadInt(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value))
        {
            return value;
        }

        // Some exporters write integral values as 4096.0.
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var number)
            && number == Math.Floor(number) && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }

        throw Invalid(name, $"must be an integer, but is {Describe(element)}");
    }

    private static string Describe(JsonElement element)
    {
        var text = element.GetRawText();
        return text.Length <= 40 ? text : text[..40] + "…";
    }
}
