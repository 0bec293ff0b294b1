namespace LoraBuild.Core.Lora;

/// <summary>
/// Codes for LoRA settings (range LORA1001–LORA1019) and for targets that do not fit a model's linear layers
/// (LORA3001–LORA3003, found when an adapter is planned on a model).
/// </summary>
public static class LoraErrorCodes
{
    /// <summary>A target module name is not a linear layer of the model family (q_proj on Phi-3, whose attention is one qkv_proj; qkv_proj or gate_up_proj on the others).</summary>
    public const string UnknownTargetModule = "LORA1001";

    /// <summary>The LoRA rank is not a positive integer.</summary>
    public const string RankInvalid = "LORA1002";

    /// <summary>The LoRA alpha is not a positive, finite number.</summary>
    public const string AlphaInvalid = "LORA1003";

    /// <summary>A target module name or pattern matches no linear layer of the model; the message lists the ones it has.</summary>
    public const string TargetNotFound = "LORA3001";

    /// <summary>The targets match linear layers, but <c>layers_to_transform</c> leaves none of them.</summary>
    public const string NothingTargeted = "LORA3002";

    /// <summary><c>layers_to_transform</c> names a decoder layer the model does not have.</summary>
    public const string LayerNotFound = "LORA3003";
}
