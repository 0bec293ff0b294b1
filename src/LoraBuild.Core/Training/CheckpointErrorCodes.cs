namespace LoraBuild.Core.Training;

/// <summary>Errors in checkpoint settings (range LORA1190–LORA1199).</summary>
public static class CheckpointErrorCodes
{
    /// <summary>A checkpoint setting (LoraCheckpointSteps, LoraCheckpointMinutes, LoraResume, their flags or environment variables) has a value that is not allowed.</summary>
    public const string SettingInvalid = "LORA1190";
}
