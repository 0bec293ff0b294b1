using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Planning;

/// <summary>Reads the planner's choices from the words users type (<c>bf16</c>, <c>nf4</c>, <c>full</c>, …).</summary>
public static class PlanChoiceParser
{
    /// <exception cref="LoraException">Not <c>fp32</c> or <c>bf16</c> (LORA1404).</exception>
    public static ComputePrecision Precision(string value, string? location = "--precision") => value.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => ComputePrecision.Fp32,
        "bf16" or "bfloat16" => ComputePrecision.Bf16,
        _ => throw Unknown("precision", value, "fp32, bf16", location),
    };

    /// <exception cref="LoraException">Not <c>none</c>, <c>nf4</c>, <c>fp4</c> or <c>int8</c> (LORA1404).</exception>
    public static BaseQuantization Quantization(string value, string? location = "--quantization") => value.Trim().ToLowerInvariant() switch
    {
        Quantizations.None => BaseQuantization.None,
        Quantizations.Nf4 => BaseQuantization.Nf4,
        Quantizations.Fp4 => BaseQuantization.Fp4,
        Quantizations.EightBit => BaseQuantization.EightBit,
        _ => throw Unknown("quantization", value, string.Join(", ", Quantizations.All), location),
    };

    /// <exception cref="LoraException">Not <c>lora</c> or <c>full</c> (LORA1404).</exception>
    public static FineTuningMode Mode(string value, string? location = "--mode") => value.Trim().ToLowerInvariant() switch
    {
        "lora" => FineTuningMode.Lora,
        "full" => FineTuningMode.Full,
        _ => throw Unknown("mode", value, "lora, full", location),
    };

    private static LoraException Unknown(string what, string value, string choices, string? location) =>
        new(PlanErrorCodes.SettingInvalid, $"Unknown {what} '{value}'; use one of {choices}.", location);
}
