namespace LoraBuild.Core.Lora;

/// <summary>Codes for invalid LoRA settings (range LORA1001–LORA1019).</summary>
public static class LoraErrorCodes
{
    /// <summary>A target module name is not a linear layer of the model family.</summary>
    public const string UnknownTargetModule = "LORA1001";

    /// <summary>The LoRA rank is not a positive integer.</summary>
    public const string RankInvalid = "LORA1002";

    /// <summary>The LoRA alpha is not a positive, finite number.</summary>
    public const string AlphaInvalid = "LORA1003";

    /// <summary>No target modules were given.</summary>
    public const string NoTargetModules = "LORA1004";
}
