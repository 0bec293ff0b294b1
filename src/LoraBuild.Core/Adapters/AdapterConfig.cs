namespace LoraBuild.Core.Adapters;

/// <summary>
/// An adapter's <c>adapter_config.json</c> in PEFT's schema (<c>peft_type</c> <c>LORA</c>). Only what this engine
/// can honour is kept; <see cref="AdapterConfigJson"/> writes PEFT's fixed fields (<c>bias</c> <c>none</c>,
/// <c>fan_in_fan_out</c> false, …) and rejects files that ask for anything else.
/// </summary>
public sealed record AdapterConfig
{
    /// <summary>PEFT's task type for decoder-only language models.</summary>
    public const string CausalLanguageModelTask = "CAUSAL_LM";

    /// <summary>The LoRA settings: rank, alpha, dropout, targets, rsLoRA, layers, patterns.</summary>
    public required LoraSettings Lora { get; init; }

    /// <summary>The base model the adapter was trained on: a hub id or a folder (<c>base_model_name_or_path</c>).</summary>
    public string? BaseModelNameOrPath { get; init; }

    /// <summary>The base model's hub revision, when known (<c>revision</c>).</summary>
    public string? Revision { get; init; }

    /// <summary><c>task_type</c>; PEFT allows null.</summary>
    public string? TaskType { get; init; } = CausalLanguageModelTask;

    /// <summary><c>inference_mode</c>: true for a saved adapter, which loads frozen unless asked otherwise.</summary>
    public bool InferenceMode { get; init; } = true;
}
