namespace LoraBuild.Core.Models;

/// <summary>The decoder-only model families the engine implements. All share the Llama block layout.</summary>
public enum ModelFamily
{
    /// <summary><c>LlamaForCausalLM</c>: Llama 1, 2 and 3, TinyLlama, and lookalikes.</summary>
    Llama,

    /// <summary><c>MistralForCausalLM</c>: the Llama layout, optionally with sliding-window attention.</summary>
    Mistral,

    /// <summary><c>Qwen2ForCausalLM</c>: the Llama layout with biases on the q, k and v projections.</summary>
    Qwen2,

    /// <summary><c>Qwen3ForCausalLM</c>: the Llama layout with an RMSNorm on each query and key head.</summary>
    Qwen3,
}
