namespace LoraBuild.Core.Planning;

/// <summary>Codes for memory planning (<c>dotnet lora plan</c>, range LORA1400–LORA1409).</summary>
public static class PlanErrorCodes
{
    /// <summary>The named model preset is not one LoraBuild carries; the message lists those it has.</summary>
    public const string PresetUnknown = "LORA1400";

    /// <summary>Neither a <c>config.json</c> nor a preset was named, or both were.</summary>
    public const string ModelSourceInvalid = "LORA1401";

    /// <summary>The <c>config.json</c> to plan for cannot be read or does not describe a Llama-family model; the file is named.</summary>
    public const string ConfigInvalid = "LORA1402";

    /// <summary>The optimizer is not one the planner knows (adamw, sgd, sgd-momentum, lion, sophia).</summary>
    public const string OptimizerUnknown = "LORA1403";

    /// <summary>A planning setting is out of range or names an unknown choice (rank, batch, sequence length, precision, quantization, mode).</summary>
    public const string SettingInvalid = "LORA1404";

    /// <summary>Full fine-tuning was asked for with a 4-bit base: quantized weights cannot be trained.</summary>
    public const string QuantizedFullFineTuning = "LORA1405";

    /// <summary>The named GPU is not in the planner's list; the message lists those it has.</summary>
    public const string GpuUnknown = "LORA1406";
}
