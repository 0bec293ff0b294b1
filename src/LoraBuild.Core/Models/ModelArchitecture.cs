namespace LoraBuild.Core.Models;

/// <summary>Which decoder layers attend through a sliding window, by family.</summary>
public enum SlidingWindowRule
{
    /// <summary>The family has no sliding-window attention; a <c>sliding_window</c> key is not read.</summary>
    None,

    /// <summary>Every layer uses <c>sliding_window</c> when it is set (Mistral).</summary>
    AllLayers,

    /// <summary>
    /// Only with <c>use_sliding_window</c>, layers from <c>max_window_layers</c> on use <c>sliding_window</c>
    /// (Qwen 2 and 3, as transformers builds their <c>layer_types</c>).
    /// </summary>
    FromMaxWindowLayers,

    /// <summary>Even layers use <c>sliding_window</c>, odd layers the whole context (Gemma 2).</summary>
    EvenLayers,

    /// <summary>
    /// <c>layer_types</c> names each layer's attention; without it every <c>sliding_window_pattern</c>-th layer is
    /// global and the others slide (Gemma 3).
    /// </summary>
    FromLayerTypes,
}

/// <summary>
/// What LoraBuild knows about one model family, in one place: how <c>config.json</c> names it, which attention
/// features it has, and how llama.cpp calls it. The config reader, the engine's model, parameter counting, LoRA
/// target names and the GGUF exporter all read it; adding a family starts with a new entry in
/// <see cref="ModelArchitectures"/>.
/// </summary>
public sealed record ModelArchitecture
{
    public required ModelFamily Family { get; init; }

    /// <summary>The <c>architectures</c> entry of <c>config.json</c>, e.g. <c>LlamaForCausalLM</c>.</summary>
    public required string HuggingFaceClass { get; init; }

    /// <summary>The <c>model_type</c> of <c>config.json</c>, e.g. <c>llama</c>.</summary>
    public required string ModelType { get; init; }

    /// <summary>llama.cpp's <c>general.architecture</c> for it.</summary>
    public required string LlamaCppName { get; init; }

    /// <summary>
    /// Whether llama.cpp rotates adjacent dimension pairs for it (its <c>llama</c> architecture) where Hugging Face
    /// rotates halves, so q/k rows are reordered on export.
    /// </summary>
    public bool LlamaCppPermutesQueryAndKey { get; init; }

    /// <summary>q, k and v projections always carry a bias (Qwen 2), whatever <c>attention_bias</c> says.</summary>
    public bool QkvBiasAlways { get; init; }

    /// <summary>Whether <c>attention_bias</c> and <c>mlp_bias</c> are read (Llama, Mistral, Qwen 3).</summary>
    public bool ReadsBiasFlags { get; init; } = true;

    /// <summary>Queries and keys go through a per-head RMSNorm before the rotary embedding (Qwen 3's <c>q_norm</c>, <c>k_norm</c>).</summary>
    public bool QueryKeyNorm { get; init; }

    public SlidingWindowRule SlidingWindow { get; init; }

    /// <summary>The sliding-window pattern when the config names none (Gemma 3's <c>sliding_window_pattern</c> default).</summary>
    public int DefaultSlidingWindowPattern { get; init; }

    /// <summary>Whether <c>mlp_bias</c> is read (a family without the key has no MLP biases).</summary>
    public bool ReadsMlpBias { get; init; } = true;

    /// <summary>The key naming the MLP activation, and the activation when it is absent.</summary>
    public string ActivationKey { get; init; } = "hidden_act";

    public HiddenActivation DefaultActivation { get; init; } = HiddenActivation.Silu;

    /// <summary>Every RMSNorm scales by <c>1 + w</c> in float32, its stored weight a residual around one (Gemma).</summary>
    public bool UnitOffsetNorms { get; init; }

    /// <summary>
    /// Norms on both sides of attention and of the MLP: <c>post_attention_layernorm</c> normalizes the attention output,
    /// <c>pre_feedforward_layernorm</c> and <c>post_feedforward_layernorm</c> surround the MLP (Gemma).
    /// </summary>
    public bool SandwichNorms { get; init; }

    /// <summary>Token embeddings are multiplied by √hidden_size, rounded to the embedding's type (Gemma).</summary>
    public bool ScalesEmbedding { get; init; }

    /// <summary>
    /// Whether <c>query_pre_attn_scalar</c>, <c>attn_logit_softcapping</c> and <c>final_logit_softcapping</c> are read,
    /// and their values when absent (a JSON null turns a soft-capping off).
    /// </summary>
    public bool ReadsGemmaAttention { get; init; }

    public double? DefaultAttentionLogitSoftCapping { get; init; }

    public double? DefaultFinalLogitSoftCapping { get; init; }

    /// <summary>Sliding layers rotate with <c>rope_local_base_freq</c> and unscaled; <c>rope_scaling</c> applies to global layers only (Gemma 3).</summary>
    public bool LocalRotaryBase { get; init; }

    /// <summary><c>head_dim</c>, <c>rope_theta</c> and <c>tie_word_embeddings</c> when the config omits them (null: hidden / heads, 10000, untied).</summary>
    public int? DefaultHeadDim { get; init; }

    public double DefaultRopeTheta { get; init; } = 10000.0;

    public bool DefaultTiedEmbeddings { get; init; }

    /// <summary>
    /// <c>config.json</c> keys that change the model's arithmetic and that this engine does not implement for the
    /// family: present with a value other than the neutral one, they are refused with a coded error naming them.
    /// </summary>
    public IReadOnlyList<string> RefusedKeys { get; init; } =
        ["attn_logit_softcapping", "final_logit_softcapping", "query_pre_attn_scalar", "partial_rotary_factor", "layer_norm_eps", "use_qk_norm"];

    /// <summary>
    /// q, k and v are one linear layer, <c>self_attn.qkv_proj</c> (rows: queries, then keys, then values), and gate and
    /// up are one, <c>mlp.gate_up_proj</c> (rows: gate, then up) (Phi-3).
    /// </summary>
    public bool FusedProjections { get; init; }

    /// <summary>Whether <c>rope_scaling</c> is read; a family without it refuses any scaling type (LORA2034).</summary>
    public bool ReadsRopeScaling { get; init; } = true;

    /// <summary>The linear layers of one decoder layer, by module path, in model order.</summary>
    public IReadOnlyList<string> DecoderLinearModules => FusedProjections
        ? ["self_attn.qkv_proj", "self_attn.o_proj", "mlp.gate_up_proj", "mlp.down_proj"]
        : ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"];
}
