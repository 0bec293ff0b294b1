namespace LoraBuild.Engine.Lora;

/// <summary>One LoRA layer of an adapter and the module path it sits at (e.g. <c>model.layers.0.self_attn.q_proj</c>).</summary>
public sealed record LoraAdapterLayer(string Path, LoraLinear Layer)
{
    /// <summary>PEFT's prefix for tensor names in <c>adapter_model.safetensors</c>: the PeftModel's path to the base model.</summary>
    public const string TensorNamePrefix = "base_model.model.";

    /// <summary>The name of <c>lora_A</c>'s weight in an adapter file.</summary>
    public string LoraATensorName => $"{TensorNamePrefix}{Path}.lora_A.weight";

    /// <summary>The name of <c>lora_B</c>'s weight in an adapter file.</summary>
    public string LoraBTensorName => $"{TensorNamePrefix}{Path}.lora_B.weight";
}
