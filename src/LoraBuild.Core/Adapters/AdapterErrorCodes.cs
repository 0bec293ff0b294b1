namespace LoraBuild.Core.Adapters;

/// <summary>Codes for adapter settings and <c>adapter_config.json</c> files (range LORA1060–LORA1069).</summary>
public static class AdapterErrorCodes
{
    /// <summary>The adapter folder has no <c>adapter_config.json</c>, or it cannot be read.</summary>
    public const string ConfigNotFound = "LORA1060";

    /// <summary><c>adapter_config.json</c> is not a JSON object.</summary>
    public const string ConfigMalformed = "LORA1061";

    /// <summary>A field the adapter cannot do without (<c>r</c>, <c>lora_alpha</c>, <c>target_modules</c>, …) is missing.</summary>
    public const string FieldMissing = "LORA1062";

    /// <summary>A field has the wrong JSON type or a value out of range (a rank that is not positive, a dropout outside [0, 1), …).</summary>
    public const string FieldInvalid = "LORA1063";

    /// <summary>The file describes another PEFT method (<c>peft_type</c> is not <c>LORA</c>).</summary>
    public const string NotLora = "LORA1064";

    /// <summary>The file asks for a LoRA variant this engine does not implement (DoRA, trained biases, <c>fan_in_fan_out</c>, <c>modules_to_save</c>, …).</summary>
    public const string FeatureNotSupported = "LORA1065";

    /// <summary>A regular expression in <c>target_modules</c>, <c>rank_pattern</c> or <c>alpha_pattern</c> does not compile.</summary>
    public const string PatternInvalid = "LORA1066";

    /// <summary>A target-module setting is empty or names something that is not a module name.</summary>
    public const string TargetsInvalid = "LORA1067";
}
