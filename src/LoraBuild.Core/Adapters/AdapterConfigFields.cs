using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Adapters;

/// <summary>Reads the fields of one parsed <c>adapter_config.json</c>, each with a coded error naming the file and the field.</summary>
internal sealed class AdapterConfigFields(JsonElement root, string location)
{
    private readonly JsonElement _root = root;
    private readonly string _location = location;

    public AdapterConfig ToConfig()
    {
        var peftType = RequiredString("peft_type");
        if (peftType != "LORA")
        {
            throw new LoraException(
                AdapterErrorCodes.NotLora,
                $"'peft_type' is \"{peftType}\"; this engine reads LoRA adapters (\"LORA\") only.",
                At("peft_type"));
        }

        var taskType = OptionalString("task_type");
        if (taskType is not null && taskType != AdapterConfig.CausalLanguageModelTask)
        {
            throw Unsupported("task_type", $"is \"{taskType}\"; only causal language models (\"{AdapterConfig.CausalLanguageModelTask}\") are supported");
        }

        RejectUnsupported();
        var settings = new LoraSettings
        {
            Rank = RequiredInteger("r"),
            Alpha = RequiredNumber("lora_alpha"),
            Dropout = OptionalNumber("lora_dropout") ?? 0,
            Targets = Targets(),
            UseRslora = OptionalBoolean("use_rslora") ?? false,
            LayersToTransform = Layers(),
            RankPattern = Pattern("rank_pattern", (element, key) => Integer(element, $"rank_pattern.{key}")),
            AlphaPattern = Pattern("alpha_pattern", (element, key) => Number(element, $"alpha_pattern.{key}")),
        };
        settings.Validate(_location);

        return new AdapterConfig
        {
            Lora = settings,
            BaseModelNameOrPath = OptionalString("base_model_name_or_path"),
            Revision = OptionalString("revision"),
            TaskType = taskType,
            InferenceMode = OptionalBoolean("inference_mode") ?? false,
        };
    }

    private void RejectUnsupported()
    {
        if (OptionalString("bias") is { } bias && bias != "none")
        {
            throw Unsupported("bias", $"is \"{bias}\"; only \"none\" (no trained biases) is supported");
        }

        foreach (var flag in new[] { "use_dora", "fan_in_fan_out", "lora_bias", "use_qalora" })
        {
            if (OptionalBoolean(flag) == true)
            {
                throw Unsupported(flag, "is true, which this engine does not implement");
            }
        }

        foreach (var field in new[] { "modules_to_save", "layer_replication", "exclude_modules", "target_parameters", "trainable_token_indices", "alora_invocation_tokens" })
        {
            if (IsSet(field))
            {
                throw Unsupported(field, "is set, which this engine does not implement");
            }
        }

        if (TryGet("layers_pattern", out var layersPattern) && !IsDecoderLayersPattern(layersPattern))
        {
            throw Unsupported("layers_pattern", $"is {AdapterConfigJson.Describe(layersPattern)}; decoder layers here are always under \"layers\"");
        }
    }

    private AdapterTargets Targets()
    {
        if (!TryGet("target_modules", out var element))
        {
            throw new LoraException(AdapterErrorCodes.FieldMissing, "'target_modules' is missing: the configuration must name the adapted modules.", At("target_modules"));
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                return text.Equals(AdapterTargets.AllLinearKeyword, StringComparison.OrdinalIgnoreCase)
                    ? AdapterTargets.FromNames([AdapterTargets.AllLinearKeyword], At("target_modules"))
                    : AdapterTargets.FromPattern(text, At("target_modules"));
            case JsonValueKind.Array:
                var names = element.EnumerateArray()
                    .Select(item => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Invalid("target_modules", "must list module names as strings"))
                    .ToList();
                return AdapterTargets.FromNames(names, At("target_modules"));
            default:
                throw Invalid("target_modules", "must be a list of module names or a regular expression string");
        }
    }

    private List<int>? Layers()
    {
        if (!TryGet("layers_to_transform", out var element))
        {
            return null;
        }

        if (element.ValueKind == JsonValueKind.Number)
        {
            return [Integer(element, "layers_to_transform")];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("layers_to_transform", "must be null, a layer index or a list of layer indices");
        }

        var layers = element.EnumerateArray().Select(item => Integer(item, "layers_to_transform")).Distinct().Order().ToList();

        // PEFT treats an empty list like null: every layer.
        return layers.Count == 0 ? null : layers;
    }

    private OrderedDictionary<string, T> Pattern<T>(string field, Func<JsonElement, string, T> read)
    {
        // Kept in file order: PEFT takes the first key that matches.
        var map = new OrderedDictionary<string, T>(StringComparer.Ordinal);
        if (!TryGet(field, out var element))
        {
            return map;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(field, "must be an object mapping regular expressions to values");
        }

        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = read(property.Value, property.Name);
        }

        return map;
    }

    private bool IsSet(string field) =>
        TryGet(field, out var element)
        && !(element.ValueKind == JsonValueKind.Array && element.GetArrayLength() == 0)
        && !(element.ValueKind == JsonValueKind.Object && !element.EnumerateObject().Any());

    private static bool IsDecoderLayersPattern(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() == "layers",
        JsonValueKind.Array => element.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String && item.GetString() == "layers"),
        _ => false,
    };

    /// <summary>Finds a field; a JSON null counts as absent.</summary>
    private bool TryGet(string field, out JsonElement element) =>
        _root.TryGetProperty(field, out element) && element.ValueKind != JsonValueKind.Null;

    private string RequiredString(string field) =>
        OptionalString(field) ?? throw new LoraException(AdapterErrorCodes.FieldMissing, $"'{field}' is missing.", At(field));

    private string? OptionalString(string field)
    {
        if (!TryGet(field, out var element))
        {
            return null;
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString() : throw Invalid(field, "must be a string");
    }

    private bool? OptionalBoolean(string field)
    {
        if (!TryGet(field, out var element))
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(field, "must be true or false"),
        };
    }

    private int RequiredInteger(string field) =>
        TryGet(field, out var element) ? Integer(element, field) : throw new LoraException(AdapterErrorCodes.FieldMissing, $"'{field}' is missing.", At(field));

    private double RequiredNumber(string field) =>
        OptionalNumber(field) ?? throw new LoraException(AdapterErrorCodes.FieldMissing, $"'{field}' is missing.", At(field));

    private double? OptionalNumber(string field) => TryGet(field, out var element) ? Number(element, field) : null;

    private int Integer(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value)
            ? value
            : throw Invalid(field, $"must be an integer, not {AdapterConfigJson.Describe(element)}");

    private double Number(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw Invalid(field, $"must be a number, not {AdapterConfigJson.Describe(element)}");

    private LoraException Invalid(string field, string problem) =>
        new(AdapterErrorCodes.FieldInvalid, $"'{field}' {problem}.", At(field));

    private LoraException Unsupported(string field, string problem) =>
        new(AdapterErrorCodes.FeatureNotSupported, $"'{field}' {problem}.", At(field));

    private string At(string field) => $"{_location} [{field}]";
}
