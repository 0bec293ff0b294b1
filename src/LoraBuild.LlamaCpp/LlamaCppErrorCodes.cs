namespace LoraBuild.LlamaCpp;

/// <summary>Codes for running exported adapters on llama.cpp (range LORA2070–LORA2079).</summary>
public static class LlamaCppErrorCodes
{
    /// <summary>An adapter folder has no <c>adapter.gguf</c>, or no base model GGUF was given or found beside it.</summary>
    public const string GgufNotFound = "LORA2070";

    /// <summary>llama.cpp could not load a GGUF model or LoRA adapter (it is damaged, or made for another architecture).</summary>
    public const string LoadFailed = "LORA2071";
}
