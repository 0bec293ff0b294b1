namespace LoraBuild.Engine.Generation;

/// <summary>Codes for asking an adapter in the prompt format it was trained on (range LORA1360–LORA1369).</summary>
public static class PromptErrorCodes
{
    /// <summary>A prompt in one template (Alpaca instruction and input, or a chat message) was given to an adapter trained on the other.</summary>
    public const string PromptFormatMismatch = "LORA1360";

    /// <summary>An Alpaca input was given without an instruction, and the adapter's training records did not all share one to fill in.</summary>
    public const string InstructionMissing = "LORA1361";
}
