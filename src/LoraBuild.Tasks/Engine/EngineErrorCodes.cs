namespace LoraBuild.Tasks.Engine;

/// <summary>Codes for running the training engine out of process (range LORA5100–LORA5199).</summary>
public static class EngineErrorCodes
{
    /// <summary>The engine (LoraEnginePath, or the first word of LoraEngineCommand) does not exist or cannot be started.</summary>
    public const string EngineNotFound = "LORA5100";

    /// <summary>The engine exited with a failure code without reporting a coded error.</summary>
    public const string EngineFailed = "LORA5101";

    /// <summary>The engine's <c>engine-info</c> answer is not the JSON the task expects (an engine older than the Sdk?).</summary>
    public const string EngineInfoUnreadable = "LORA5102";

    /// <summary>The engine reported success but the adapter folder has no readable lorabuild.json.</summary>
    public const string EngineOutputMissing = "LORA5103";

    /// <summary>Warning: the fingerprint the engine wrote differs from the one the task computed, so the next build would train again.</summary>
    public const string FingerprintMismatch = "LORA5104";
}
