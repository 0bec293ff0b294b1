namespace LoraBuild.Engine.Jobs;

/// <summary>Codes for whole training jobs (range LORA3050–LORA3059).</summary>
public static class JobErrorCodes
{
    /// <summary>The tokenizer names no end-of-sequence token, which every training sequence must end with.</summary>
    public const string NoEosToken = "LORA3050";

    /// <summary>The output folder could not be replaced with the new result.</summary>
    public const string OutputNotWritable = "LORA3051";
}
