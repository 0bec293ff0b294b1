using System.Globalization;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Models;

/// <summary>Turns a Hugging Face <c>config.json</c> into a validated <see cref="ModelConfig"/>.</summary>
internal static class ModelConfigReader
{
    public static ModelConfig ReadFile(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(
                ModelErrorCodes.ConfigUnreadable, $"Cannot read the model configuration: {exception.Message}", path, exception);
        }

        return Read(json, path);
    }

    public static ModelConfig Read(string json, string location)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new LoraException(
                ModelErrorCodes.ConfigUnreadable,
                $"{Path.GetFileName(location)} is not valid JSON: {exception.Message}",
                location,
                exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new LoraException(
                    ModelErrorCodes.ConfigUnreadable, $"{Path.GetFileName(location)} must hold a JSON object.", location);
            }

            if (JsonStrings.FindIllFormed(document.RootElement) is { } bad)
            {
                throw new LoraException(
                    ModelErrorCodes.ConfigUnreadable, $"{Path.GetFileName(location)} has a string at {bad} that is not well-formed UTF-8 or UTF-16 text.", location);
            }

            return Read(new ConfigJsonFields(document.RootElement, location), location);
        }
    }

    private static ModelConfig Read(ConfigJsonFields fields, string location)
    {
        var modelType = fields.OptionalString("model_type");
        var descriptor = ReadArchitecture(fields, modelType, location);
        var architecture = descriptor.HuggingFaceClass;
        var family = descriptor.Family;
        RefuseUnsupportedFeatures(fields, descriptor, location);

        var hiddenSize = fields.RequiredPositiveInt("hidden_size");
        var heads = fields.RequiredPositiveInt("num_attention_heads");
        var keyValueHeads = fields.OptionalPositiveInt("num_key_value_heads") ?? heads;
        if (heads % keyValueHeads != 0)
        {
            throw fields.Invalid(
                "num_key_value_heads",
                $"must divide num_attention_heads ({heads}), but is {keyValueHeads}");
        }

        var headDim = fields.OptionalPositiveInt("head_dim") ?? descriptor.DefaultHeadDim ?? DefaultHeadDim(fields, hiddenSize, heads);
        if (headDim % 2 != 0)
        {
            throw fields.Invalid("head_dim", $"must be even for rotary embeddings, but is {headDim}");
        }

        var activation = ReadActivation(fields, descriptor);
        var rope = ReadRotary(fields, descriptor, location);
        var attentionBias = fields.OptionalBool("attention_bias", defaultValue: false);
        var torchDtype = fields.OptionalString("torch_dtype") ?? fields.OptionalString("dtype");
        var layers = fields.RequiredPositiveInt("num_hidden_layers");

        return new ModelConfig
        {
            Architecture = architecture,
            Family = family,
            ModelType = modelType,
            HiddenSize = hiddenSize,
            IntermediateSize = fields.RequiredPositiveInt("intermediate_size"),
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = keyValueHeads,
            HeadDim = headDim,
            VocabSize = fields.RequiredPositiveInt("vocab_size"),
            RmsNormEps = fields.RequiredPositiveDouble("rms_norm_eps"),
            RopeTheta = rope.Theta,
            RopeScaling = rope.Scaling,
            LocalRopeTheta = rope.LocalTheta,
            MaxPositionEmbeddings = fields.RequiredPositiveInt("max_position_embeddings"),
            TieWordEmbeddings = fields.OptionalBool("tie_word_embeddings", descriptor.DefaultTiedEmbeddings),
            QkvBias = descriptor.QkvBiasAlways || (descriptor.ReadsBiasFlags && attentionBias),
            OutputProjectionBias = descriptor.ReadsBiasFlags && attentionBias,
            MlpBias = descriptor.ReadsBiasFlags && descriptor.ReadsMlpBias && fields.OptionalBool("mlp_bias", defaultValue: false),
            SlidingWindow = ReadSlidingWindow(fields, descriptor, out var firstSlidingLayer),
            SlidingWindowFirstLayer = firstSlidingLayer,
            SlidingLayers = SlidingLayerFlags.Read(fields, descriptor, layers),
            QueryKeyNorm = descriptor.QueryKeyNorm,
            Activation = activation,
            QueryPreAttentionScalar = descriptor.ReadsGemmaAttention ? fields.OptionalPositiveDouble("query_pre_attn_scalar") ?? 256 : null,
            AttentionLogitSoftCapping = SoftCapping(fields, descriptor, "attn_logit_softcapping", descriptor.DefaultAttentionLogitSoftCapping),
            FinalLogitSoftCapping = SoftCapping(fields, descriptor, "final_logit_softcapping", descriptor.DefaultFinalLogitSoftCapping),
            TorchDtype = torchDtype,
            BosTokenId = fields.OptionalInt("bos_token_id"),
            EosTokenIds = fields.OptionalIntOrIntList("eos_token_id"),
            PadTokenId = fields.OptionalInt("pad_token_id"),
        };
    }

    private static ModelArchitecture ReadArchitecture(ConfigJsonFields fields, string? modelType, string location)
    {
        var architectures = fields.OptionalStringList("architectures");
        if (architectures.Count == 0)
        {
            // Configs saved from a bare base model may omit "architectures"; model_type still names the family.
            if (modelType is not null && ModelArchitectures.ByModelType(modelType) is { } inferred)
            {
                return inferred;
            }

            throw fields.Missing("architectures");
        }

        foreach (var name in architectures)
        {
            if (ModelArchitectures.ByHuggingFaceClass(name) is { } supported)
            {
                return supported;
            }
        }

        throw new LoraException(
            ModelErrorCodes.UnsupportedArchitecture,
            $"{Path.GetFileName(location)} describes a {string.Join(", ", architectures)}, which LoraBuild cannot build. "
                + $"Supported architectures: {string.Join(", ", ModelConfig.SupportedArchitectures)}.",
            location);
    }

    /// <summary>Refuses keys that would change the arithmetic in a way this engine does not implement, rather than ignoring them.</summary>
    private static void RefuseUnsupportedFeatures(ConfigJsonFields fields, ModelArchitecture descriptor, string location)
    {
        foreach (var key in descriptor.RefusedKeys)
        {
            if (fields.Find(key) is { } value && !IsNeutral(key, value))
            {
                throw new LoraException(
                    ModelErrorCodes.UnsupportedConfigFeature,
                    $"{Path.GetFileName(location)} sets \"{key}\" ({value.GetRawText()}), which LoraBuild does not implement for {descriptor.HuggingFaceClass}; "
                        + "training would silently compute another model.",
                    $"{location} [{key}]");
            }
        }

        if (fields.Find("attention_dropout") is { ValueKind: JsonValueKind.Number } dropout && dropout.GetDouble() != 0)
        {
            throw new LoraException(
                ModelErrorCodes.UnsupportedConfigFeature,
                $"{Path.GetFileName(location)} sets \"attention_dropout\" to {dropout.GetRawText()}; LoraBuild applies no dropout inside attention (LoRA dropout is a training setting).",
                $"{location} [attention_dropout]");
        }
    }

    private static bool IsNeutral(string key, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False => true,
        JsonValueKind.Number => value.GetDouble() == NeutralNumber(key),
        _ => false,
    };

    // Dropouts are off at 0, the rotary embedding covers the whole head at 1.
    private static double? NeutralNumber(string key) => key switch
    {
        "partial_rotary_factor" => 1.0,
        "resid_pdrop" or "embd_pdrop" => 0.0,
        _ => null,
    };

    private const int GemmaDefaultSlidingWindow = 4096;

    private static HiddenActivation ReadActivation(ConfigJsonFields fields, ModelArchitecture descriptor)
    {
        var name = fields.OptionalString(descriptor.ActivationKey);
        return name switch
        {
            null => descriptor.DefaultActivation,
            "silu" or "swish" => HiddenActivation.Silu,
            "gelu_pytorch_tanh" => HiddenActivation.GeluTanh,
            _ => throw fields.Invalid(
                descriptor.ActivationKey, $"must be \"silu\" or \"gelu_pytorch_tanh\" for a {descriptor.HuggingFaceClass}, but is \"{name}\""),
        };
    }

    /// <summary>A soft-capping the family reads: its default when absent, off when JSON null.</summary>
    private static double? SoftCapping(ConfigJsonFields fields, ModelArchitecture descriptor, string key, double? defaultValue)
    {
        if (!descriptor.ReadsGemmaAttention)
        {
            return null;
        }

        return fields.OptionalPositiveDouble(key) ?? (fields.Contains(key) ? null : defaultValue);
    }

    private static (double Theta, RopeScaling? Scaling, double? LocalTheta) ReadRotary(ConfigJsonFields fields, ModelArchitecture descriptor, string location)
    {
        var ropeParameters = fields.OptionalObject("rope_parameters");

        // transformers 5 writes Gemma 3's rotary settings per layer type.
        if (descriptor.LocalRotaryBase && ropeParameters?.OptionalObject("full_attention") is { } full)
        {
            return (
                full.OptionalPositiveDouble("rope_theta") ?? descriptor.DefaultRopeTheta,
                ReadRopeScaling(full, location, descriptor),
                ropeParameters.OptionalObject("sliding_attention")?.OptionalPositiveDouble("rope_theta") ?? 10000.0);
        }

        var theta = fields.OptionalPositiveDouble("rope_theta")
            ?? ropeParameters?.OptionalPositiveDouble("rope_theta")
            ?? descriptor.DefaultRopeTheta;
        var scaling = ReadRopeScaling(fields.OptionalObject("rope_scaling") ?? ropeParameters, location, descriptor);

        var localTheta = descriptor.LocalRotaryBase ? fields.OptionalPositiveDouble("rope_local_base_freq") ?? 10000.0 : (double?)null;
        return (theta, scaling, localTheta);
    }

    private static int DefaultHeadDim(ConfigJsonFields fields, int hiddenSize, int heads)
    {
        if (hiddenSize % heads != 0)
        {
            throw fields.Invalid(
                "num_attention_heads",
                $"must divide hidden_size ({hiddenSize}) when head_dim is not given, but is {heads}");
        }

        return hiddenSize / heads;
    }

    private static int? ReadSlidingWindow(ConfigJsonFields fields, ModelArchitecture descriptor, out int firstLayer)
    {
        firstLayer = 0;
        switch (descriptor.SlidingWindow)
        {
            case SlidingWindowRule.AllLayers:
                return fields.OptionalPositiveInt("sliding_window");
            case SlidingWindowRule.EvenLayers or SlidingWindowRule.FromLayerTypes:
                // Gemma's configs default to a 4096 window; an explicit null turns it off.
                return fields.OptionalPositiveInt("sliding_window") ?? (fields.Contains("sliding_window") ? null : GemmaDefaultSlidingWindow);
            case SlidingWindowRule.FromMaxWindowLayers:
                // Qwen carries a sliding_window value even when the feature is off; only use_sliding_window turns it on.
                if (!fields.OptionalBool("use_sliding_window", defaultValue: false))
                {
                    return null;
                }

                firstLayer = fields.OptionalInt("max_window_layers") ?? 0;
                return fields.RequiredPositiveInt("sliding_window");
            default:
                return null;
        }
    }

    private static RopeScaling? ReadRopeScaling(ConfigJsonFields? scaling, string location, ModelArchitecture descriptor)
    {
        if (scaling is null)
        {
            return null;
        }

        var kind = scaling.OptionalString("rope_type") ?? scaling.OptionalString("type");
        if (kind is not (null or "default") && !descriptor.ReadsRopeScaling)
        {
            throw new LoraException(
                ModelErrorCodes.UnsupportedRopeScaling,
                $"{Path.GetFileName(location)} asks for rope_scaling of type \"{kind}\", which LoraBuild does not implement for {descriptor.HuggingFaceClass}. "
                    + "Supported: none (rope_scaling null).",
                $"{location} [rope_scaling]");
        }

        switch (kind)
        {
            case null or "default":
                return null;
            case "linear":
                return new RopeScaling(RopeScalingKind.Linear, scaling.RequiredPositiveDouble("factor"));
            case "llama3":
                var scalingSettings = new RopeScaling(
                    RopeScalingKind.Llama3,
                    scaling.RequiredPositiveDouble("factor"),
                    scaling.RequiredPositiveDouble("low_freq_factor"),
                    scaling.RequiredPositiveDouble("high_freq_factor"),
                    scaling.RequiredPositiveInt("original_max_position_embeddings"));
                if (scalingSettings.HighFrequencyFactor <= scalingSettings.LowFrequencyFactor)
                {
                    throw scaling.Invalid(
                        "high_freq_factor",
                        "must be greater than low_freq_factor ("
                            + scalingSettings.LowFrequencyFactor.ToString(CultureInfo.InvariantCulture) + ")");
                }

                return scalingSettings;
            default:
                throw new LoraException(
                    ModelErrorCodes.UnsupportedRopeScaling,
                    $"{Path.GetFileName(location)} asks for rope_scaling of type \"{kind}\", which LoraBuild does not implement. "
                        + "Supported: \"llama3\", \"linear\", or none.",
                    location);
        }
    }
}
