namespace LoraBuild.Core.Training;

/// <summary>
/// Training codes that the spec validator raises before any work starts and the trainer keeps as guards for callers of
/// its API (range LORA3020–LORA3021, beside the trainer's own codes).
/// </summary>
public static class TrainingSettingErrorCodes
{
    /// <summary>A training setting the trainer relies on is out of range (epochs, steps, accumulation, learning rate, Nesterov momentum without momentum, …).</summary>
    public const string TrainingSettingInvalid = "LORA3020";

    /// <summary>Full fine-tuning was asked for with bf16 precision or bf16 weights; it needs fp32 weights.</summary>
    public const string FullFineTuningNeedsFp32 = "LORA3021";
}
