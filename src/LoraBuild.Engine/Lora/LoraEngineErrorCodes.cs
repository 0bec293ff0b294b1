namespace LoraBuild.Engine.Lora;

/// <summary>
/// Codes for putting LoRA layers on a model and for adapter weight files (range LORA3004–LORA3019; LORA3001–LORA3003,
/// targets that fit no layer, are <see cref="LoraBuild.Core.Lora.LoraErrorCodes"/>).
/// </summary>
public static class LoraEngineErrorCodes
{
    /// <summary>The model already carries LoRA layers; adapters are not stacked.</summary>
    public const string AlreadyAdapted = "LORA3004";

    /// <summary>A targeted linear layer is one the model cannot swap for a LoRA layer.</summary>
    public const string TargetNotReplaceable = "LORA3005";

    /// <summary>The adapter folder has no <c>adapter_model.safetensors</c>.</summary>
    public const string AdapterWeightsNotFound = "LORA3006";

    /// <summary>The adapter weights lack a tensor the configuration implies.</summary>
    public const string AdapterTensorMissing = "LORA3007";

    /// <summary>The adapter weights hold a tensor that belongs to no targeted module.</summary>
    public const string AdapterTensorUnexpected = "LORA3008";

    /// <summary>An adapter tensor's shape is not the [r, in] or [out, r] the module and configuration imply.</summary>
    public const string AdapterTensorShapeMismatch = "LORA3009";

    /// <summary>An adapter tensor is not floating point.</summary>
    public const string AdapterTensorDTypeInvalid = "LORA3010";

    /// <summary>An update cannot be merged in place into a quantized (NF4, FP4 or int8) base weight; merge into the original weights.</summary>
    public const string MergeIntoQuantizedBase = "LORA3011";

    /// <summary>
    /// A warning: the adapter being merged was trained on a quantized (NF4, FP4 or int8) base, so the merged model (original weights plus
    /// the update) is not exactly the model it was trained as; evaluate the merged model before relying on it.
    /// </summary>
    public const string MergeOfQloraAdapter = "LORA3012";
}
