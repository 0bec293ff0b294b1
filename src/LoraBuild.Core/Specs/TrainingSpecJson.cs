using System.Text.Json;
using System.Text.Json.Serialization;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Specs;

/// <summary>Reads and writes <see cref="TrainingSpec"/> as JSON (<c>lora.json</c>, job files), strictly: unknown settings are errors.</summary>
public static class TrainingSpecJson
{
    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TrainingSpec ReadFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new LoraException(SpecErrorCodes.SpecUnreadable, "The spec file does not exist.", path);
        }

        return Parse(File.ReadAllText(fullPath), fullPath) with
        {
            SourceLocation = fullPath,
            BaseDirectory = Path.GetDirectoryName(fullPath),
        };
    }

    public static TrainingSpec Parse(string json, string location)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingSpec>(json, s_options)
                ?? throw new LoraException(SpecErrorCodes.SpecUnreadable, "The spec is JSON null; expected an object of settings.", location);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? $":{zeroBased + 1}" : string.Empty;
            if (UnknownSetting(e) is { } unknown)
            {
                throw new LoraException(SpecErrorCodes.SpecUnreadable, unknown, location + line, e);
            }

            var setting = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? string.Empty : $" at {e.Path}";
            throw new LoraException(SpecErrorCodes.SpecUnreadable, $"The spec is not valid{setting}: {FirstSentence(e.Message)}", location + line, e);
        }
    }

    public static string Serialize(TrainingSpec spec) => JsonSerializer.Serialize(spec, s_options) + "\n";

    public static void WriteFile(TrainingSpec spec, string path) => AtomicFile.WriteAllText(path, Serialize(spec));

    /// <summary>For a key no setting has: which key, where, and the closest setting name, without .NET type names.</summary>
    private static string? UnknownSetting(JsonException e)
    {
        const string Marker = "could not be mapped to any .NET member contained in type '";
        if (e.Message.IndexOf(Marker, StringComparison.Ordinal) is not (> 0 and var at))
        {
            return null;
        }

        var typeName = e.Message[(at + Marker.Length)..].Split('\'')[0];
        var type = typeof(TrainingSpec).Assembly.GetType(typeName);
        var key = e.Path is { Length: > 2 } path ? path[(path.LastIndexOf('.') + 1)..] : "?";
        var known = type is null
            ? []
            : type.GetProperties()
                .Where(property => property.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: true).Length == 0 && property.CanWrite)
                .Select(property => JsonNamingPolicy.CamelCase.ConvertName(property.Name))
                .ToList();
        var closest = known.OrderBy(name => EditDistance(name.ToLowerInvariant(), key.ToLowerInvariant())).FirstOrDefault();
        var where = e.Path is { } p2 && p2.LastIndexOf('.') > 1 ? $" in {p2[..p2.LastIndexOf('.')]}" : string.Empty;
        var hint = closest is not null && EditDistance(closest.ToLowerInvariant(), key.ToLowerInvariant()) <= Math.Max(2, key.Length / 3)
            ? $" Did you mean '{closest}'?"
            : $" Settings: {string.Join(", ", known)}.";
        return $"'{key}'{where} is not a setting.{hint}";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
