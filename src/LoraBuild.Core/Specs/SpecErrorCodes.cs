namespace LoraBuild.Core.Specs;

/// <summary>Codes for training specs: the spec file, its settings and the inputs it names (range LORA1030–LORA1059).</summary>
public static class SpecErrorCodes
{
    /// <summary>The spec file is missing, not JSON, or has a setting of the wrong type or an unknown setting.</summary>
    public const string SpecUnreadable = "LORA1030";

    /// <summary>A required setting (name, base model, datasets) is missing.</summary>
    public const string SettingMissing = "LORA1031";

    /// <summary>A setting is out of its range (learning rate, batch size, epochs, …).</summary>
    public const string SettingOutOfRange = "LORA1032";

    /// <summary>A setting names a choice that does not exist (optimizer, scheduler, format, …).</summary>
    public const string UnknownChoice = "LORA1033";

    /// <summary>The base model directory or its config.json does not exist.</summary>
    public const string BaseModelNotFound = "LORA1034";

    /// <summary>A dataset file does not exist.</summary>
    public const string DatasetNotFound = "LORA1035";

    /// <summary>LoRA dropout is outside [0, 1).</summary>
    public const string DropoutOutOfRange = "LORA1036";

    /// <summary>A rank_pattern or alpha_pattern key is not a valid regular expression, or its value is out of range.</summary>
    public const string PatternInvalid = "LORA1037";
}
