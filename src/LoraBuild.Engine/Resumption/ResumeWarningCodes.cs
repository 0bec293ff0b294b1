namespace LoraBuild.Engine.Resumption;

/// <summary>Warnings about training checkpoints (range LORA3070–LORA3079): each leaves the run going, from an earlier checkpoint or from the start.</summary>
public static class ResumeWarningCodes
{
    /// <summary>A checkpoint beside the output is damaged or incomplete (a kill during its write, a changed byte) and was skipped.</summary>
    public const string CheckpointUnusable = "LORA3070";

    /// <summary>A checkpoint beside the output belongs to a run of another fingerprint (other data, settings or base model) and was skipped.</summary>
    public const string CheckpointForeign = "LORA3071";

    /// <summary>A checkpoint could not be written (disk full, no permission); training goes on without it.</summary>
    public const string CheckpointNotWritten = "LORA3072";
}
