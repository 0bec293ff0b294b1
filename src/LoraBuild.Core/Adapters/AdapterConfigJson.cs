using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Adapters;

/// <summary>
/// Reads and writes <c>adapter_config.json</c>. Writing is deterministic: every field PEFT 0.13 writes for LoRA, keys
/// sorted ordinally at every level (as PEFT's <c>json.dumps(sort_keys=True)</c>), two-space indentation, <c>\n</c>
/// line ends, invariant numbers and a trailing newline. Reading accepts files from newer PEFT versions and rejects,
/// with a coded error naming the file and field, anything this engine would get wrong.
/// </summary>
public static class AdapterConfigJson
{
    /// <summary>The file's name in an adapter folder.</summary>
    public const string FileName = "adapter_config.json";

    private const string LoraPeftType = "LORA";

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The file's text for <paramref name="config"/>.</summary>
    /// <exception cref="LoraException">A setting is out of range (LORA1063, LORA1066).</exception>
    public static string Serialize(AdapterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Lora.Validate(FileName);
        var lora = config.Lora;

        // Written in ordinal key order; each entry writes its own value.
        var fields = new SortedDictionary<string, Action<Utf8JsonWriter>>(StringComparer.Ordinal)
        {
            ["alpha_pattern"] = w => WriteMap(w, lora.AlphaPattern, (writer, value) => writer.WriteNumberValue(value)),
            ["auto_mapping"] = w => w.WriteNullValue(),
            ["base_model_name_or_path"] = w => WriteStringOrNull(w, config.BaseModelNameOrPath),
            ["bias"] = w => w.WriteStringValue("none"),
            ["fan_in_fan_out"] = w => w.WriteBooleanValue(false),
            ["inference_mode"] = w => w.WriteBooleanValue(config.InferenceMode),
            ["init_lora_weights"] = w => w.WriteBooleanValue(true),
            ["layer_replication"] = w => w.WriteNullValue(),
            ["layers_pattern"] = w => w.WriteNullValue(),
            ["layers_to_transform"] = w => WriteLayers(w, lora.LayersToTransform),
            ["loftq_config"] = w =>
            {
                w.WriteStartObject();
                w.WriteEndObject();
            },
            ["lora_alpha"] = w => w.WriteNumberValue(lora.Alpha),
            ["lora_dropout"] = w => w.WriteNumberValue(lora.Dropout),
            ["megatron_config"] = w => w.WriteNullValue(),
            ["megatron_core"] = w => w.WriteStringValue("megatron.core"),
            ["modules_to_save"] = w => w.WriteNullValue(),
            ["peft_type"] = w => w.WriteStringValue(LoraPeftType),
            ["r"] = w => w.WriteNumberValue(lora.Rank),
            ["rank_pattern"] = w => WriteMap(w, lora.RankPattern, (writer, value) => writer.WriteNumberValue(value)),
            ["revision"] = w => WriteStringOrNull(w, config.Revision),
            ["target_modules"] = w => WriteTargets(w, lora.Targets),
            ["task_type"] = w => WriteStringOrNull(w, config.TaskType),
            ["use_dora"] = w => w.WriteBooleanValue(false),
            ["use_rslora"] = w => w.WriteBooleanValue(lora.UseRslora),
        };

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, write) in fields)
            {
                writer.WritePropertyName(name);
                write(writer);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes <paramref name="config"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void Write(string path, AdapterConfig config)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteAllText(path, Serialize(config));
    }

    /// <summary>Reads and validates an <c>adapter_config.json</c> file.</summary>
    /// <exception cref="LoraException">The file is missing (LORA1060) or invalid (LORA1061–LORA1067).</exception>
    public static AdapterConfig Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "does not exist" : $"cannot be read: {e.Message}";
            throw new LoraException(AdapterErrorCodes.ConfigNotFound, $"The adapter configuration {reason}.", path, e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates the text of an <c>adapter_config.json</c>; <paramref name="location"/> names it in errors.</summary>
    /// <exception cref="LoraException">The text is not a valid LoRA adapter configuration (LORA1061–LORA1067).</exception>
    public static AdapterConfig Parse(string json, string location)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            var line = e.LineNumber is { } zeroBased ? $":{zeroBased + 1}" : string.Empty;
            throw new LoraException(AdapterErrorCodes.ConfigMalformed, $"The adapter configuration is not valid JSON: {e.Message}", location + line, e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new LoraException(AdapterErrorCodes.ConfigMalformed, "The adapter configuration must be a JSON object.", location);
            }

            if (JsonStrings.FindIllFormed(document.RootElement) is { } bad)
            {
                throw new LoraException(AdapterErrorCodes.ConfigMalformed, $"The adapter configuration has a string at {bad} that is not well-formed UTF-8 or UTF-16 text.", location);
            }

            return new AdapterConfigFields(document.RootElement, location).ToConfig();
        }
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    private static void WriteLayers(Utf8JsonWriter writer, IReadOnlyList<int>? layers)
    {
        if (layers is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartArray();
        foreach (var layer in layers)
        {
            writer.WriteNumberValue(layer);
        }

        writer.WriteEndArray();
    }

    private static void WriteTargets(Utf8JsonWriter writer, AdapterTargets targets)
    {
        if (targets.Pattern is not null)
        {
            writer.WriteStringValue(targets.Pattern);
        }
        else if (targets.AllLinear && targets.Names.Count == 0)
        {
            writer.WriteStringValue(AdapterTargets.AllLinearKeyword);
        }
        else
        {
            // PEFT accepts no mix of all-linear and names; the adapter resolves all-linear to names before saving.
            if (targets.AllLinear)
            {
                throw new LoraException(
                    AdapterErrorCodes.TargetsInvalid,
                    $"'{AdapterTargets.AllLinearKeyword}' together with other names must be resolved to module names before it is written.",
                    FileName);
            }

            writer.WriteStartArray();
            foreach (var name in targets.Names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }
    }

    private static void WriteMap<T>(Utf8JsonWriter writer, IReadOnlyDictionary<string, T> map, Action<Utf8JsonWriter, T> writeValue)
    {
        writer.WriteStartObject();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal))
        {
            writer.WritePropertyName(key);
            writeValue(writer, map[key]);
        }

        writer.WriteEndObject();
    }

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"\"{element.GetString()}\"",
        JsonValueKind.Number => element.GetRawText(),
        _ => element.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
