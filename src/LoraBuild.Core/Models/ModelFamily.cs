namespace LoraBuild.Core.Models;

/// <summary>The decoder-only model families the engine implements. All share the Llama block's projections, fused in some.</summary>
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

    /// <summary><c>Gemma2ForCausalLM</c>: 1 + w norms around attention and MLP, GeGLU, soft-capping, alternating local/global attention.</summary>
    Gemma2,

    /// <summary><c>Gemma3ForCausalLM</c> (<c>gemma3_text</c>): Gemma 2's layout with q/k norms and a local rotary base for sliding layers.</summary>
    Gemma3,

    /// <summary><c>Phi3ForCausalLM</c>: the Llama block with q, k and v fused in <c>qkv_proj</c> and gate and up in <c>gate_up_proj</c>.</summary>
    Phi3,
}
