namespace LoraBuild.Core.Export;

/// <summary>Codes for exporting models and adapters to other runtimes (range LORA4200–LORA4219).</summary>
public static class ExportErrorCodes
{
    /// <summary>The export format is not one this tool writes (only <c>gguf</c>).</summary>
    public const string FormatUnknown = "LORA4200";

    /// <summary>The tensor type asked for is not one of f32, f16, bf16, q8_0 (or none, for the base of a build export).</summary>
    public const string TensorTypeUnknown = "LORA4201";

    /// <summary>The model's architecture has no llama.cpp counterpart this exporter knows.</summary>
    public const string ArchitectureNotExportable = "LORA4202";

    /// <summary>A tensor of the model or adapter has no llama.cpp name (a module llama.cpp does not have, or a LoRA on the embeddings).</summary>
    public const string TensorNotExportable = "LORA4203";

    /// <summary>The tokenizer cannot be expressed in llama.cpp's vocabulary metadata (an unknown model type or pre-tokenizer).</summary>
    public const string TokenizerNotExportable = "LORA4204";

    /// <summary>A setting of the model (such as a rope_scaling type, or a Phi-3 head_dim whose heads do not span hidden_size) has no llama.cpp equivalent.</summary>
    public const string SettingNotExportable = "LORA4205";

    /// <summary>The base model of an adapter export was not given and cannot be found from the adapter's files.</summary>
    public const string BaseModelNotFound = "LORA4206";
}
