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
            var setting = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? string.Empty : $" at {e.Path}";
            throw new LoraException(SpecErrorCodes.SpecUnreadable, $"The spec is not valid{setting}: {FirstSentence(e.Message)}", location + line, e);
        }
    }

    public static string Serialize(TrainingSpec spec) => JsonSerializer.Serialize(spec, s_options) + "\n";

    public static void WriteFile(TrainingSpec spec, string path) => AtomicFile.WriteAllText(path, Serialize(spec));

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }
}
