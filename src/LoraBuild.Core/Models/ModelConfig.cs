namespace LoraBuild.Core.Models;

/// <summary>
/// The shape and settings of a Llama-family causal language model, as read from a Hugging Face <c>config.json</c>.
/// Defaults are already resolved: every property holds the value the model will actually use.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The architectures the engine can build, as <c>config.json</c> names them.</summary>
    public static IReadOnlyList<string> SupportedArchitectures { get; } = [.. ModelArchitectures.All.Select(architecture => architecture.HuggingFaceClass)];

    /// <summary>The architecture name, e.g. <c>LlamaForCausalLM</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>The family the architecture belongs to.</summary>
    public required ModelFamily Family { get; init; }

    /// <summary><c>model_type</c>, e.g. <c>llama</c>; null when the file does not say.</summary>
    public string? ModelType { get; init; }

    /// <summary><c>hidden_size</c>: the width of the residual stream.</summary>
    public required int HiddenSize { get; init; }

    /// <summary><c>intermediate_size</c>: the width of the MLP's gate and up projections.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary><c>num_hidden_layers</c>: the number of decoder layers.</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary><c>num_attention_heads</c>: query heads per layer.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary><c>num_key_value_heads</c>: key/value heads per layer (fewer than query heads with grouped-query attention).</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary><c>head_dim</c>: the width of one attention head.</summary>
    public required int HeadDim { get; init; }

    /// <summary><c>vocab_size</c>: rows of the embedding and of the output head.</summary>
    public required int VocabSize { get; init; }

    /// <summary><c>rms_norm_eps</c>: the epsilon inside every RMSNorm.</summary>
    public required double RmsNormEps { get; init; }

    /// <summary><c>rope_theta</c>: the base of the rotary position frequencies.</summary>
    public double RopeTheta { get; init; } = 10000.0;

    /// <summary><c>rope_scaling</c>; null when frequencies are used unscaled.</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary><c>max_position_embeddings</c>: the longest context the model was trained for.</summary>
    public required int MaxPositionEmbeddings { get; init; }

    /// <summary><c>tie_word_embeddings</c>: when true the output head reuses the embedding matrix and has no weight of its own.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Whether the q, k and v projections carry a bias (Llama <c>attention_bias</c>; always true for Qwen2).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Whether the o projection carries a bias (Llama <c>attention_bias</c>; always false for Qwen2).</summary>
    public bool OutputProjectionBias { get; init; }

    /// <summary><c>mlp_bias</c>: whether the gate, up and down projections carry a bias.</summary>
    public bool MlpBias { get; init; }

    /// <summary>
    /// <c>sliding_window</c> when sliding-window attention is active (Mistral; Qwen 2 and 3 only with
    /// <c>use_sliding_window</c>): a query then sees itself and the positions before it, this many in all, in the
    /// layers from <see cref="SlidingWindowFirstLayer"/> on.
    /// </summary>
    public int? SlidingWindow { get; init; }

    /// <summary>The first layer that uses <see cref="SlidingWindow"/> (0 for Mistral, <c>max_window_layers</c> for Qwen).</summary>
    public int SlidingWindowFirstLayer { get; init; }

    /// <summary>
    /// Which layers use <see cref="SlidingWindow"/>, one flag per layer (Gemma's alternating local and global layers);
    /// null when <see cref="SlidingWindowFirstLayer"/> decides.
    /// </summary>
    public IReadOnlyList<bool>? SlidingLayers { get; init; }

    /// <summary>Whether queries and keys go through a per-head RMSNorm (<c>q_norm</c>, <c>k_norm</c>) before the rotary embedding.</summary>
    public bool QueryKeyNorm { get; init; }

    /// <summary>The MLP's activation (<c>hidden_act</c>, or Gemma's <c>hidden_activation</c>).</summary>
    public HiddenActivation Activation { get; init; } = HiddenActivation.Silu;

    /// <summary>
    /// <c>query_pre_attn_scalar</c>: attention scores are scaled by its inverse square root; null scales by
    /// 1/√<see cref="HeadDim"/>.
    /// </summary>
    public double? QueryPreAttentionScalar { get; init; }

    /// <summary><c>attn_logit_softcapping</c>: attention scores become cap · tanh(score / cap); null leaves them.</summary>
    public double? AttentionLogitSoftCapping { get; init; }

    /// <summary><c>final_logit_softcapping</c>: logits become cap · tanh(logit / cap); null leaves them.</summary>
    public double? FinalLogitSoftCapping { get; init; }

    /// <summary>
    /// <c>rope_local_base_freq</c> (Gemma 3): the rotary base of sliding layers, which rotate unscaled; null when every
    /// layer rotates with <see cref="RopeTheta"/> and <see cref="RopeScaling"/>.
    /// </summary>
    public double? LocalRopeTheta { get; init; }

    /// <summary>The factor attention scores are multiplied by.</summary>
    public double AttentionScale => 1.0 / Math.Sqrt(QueryPreAttentionScalar ?? HeadDim);

    /// <summary>The family's descriptor.</summary>
    public ModelArchitecture Descriptor => ModelArchitectures.For(Family);

    /// <summary>Whether layer <paramref name="layer"/> attends through <see cref="SlidingWindow"/>.</summary>
    public bool IsSlidingLayer(int layer) =>
        SlidingWindow is not null
        && (SlidingLayers is { } flags ? layer < flags.Count && flags[layer] : layer >= SlidingWindowFirstLayer);

    /// <summary>The sliding window layer <paramref name="layer"/> attends through, or null for the whole context.</summary>
    public int? SlidingWindowFor(int layer) => IsSlidingLayer(layer) ? SlidingWindow : null;

    /// <summary><c>torch_dtype</c> (or <c>dtype</c>), e.g. <c>bfloat16</c>; null when the file does not say.</summary>
    public string? TorchDtype { get; init; }

    /// <summary><c>bos_token_id</c>, when given.</summary>
    public int? BosTokenId { get; init; }

    /// <summary><c>eos_token_id</c>: one id or several; empty when not given.</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary><c>pad_token_id</c>, when given.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>The number of query heads that share one key/value head.</summary>
    public int QueriesPerKeyValueHead => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Reads and validates a <c>config.json</c> file.</summary>
    /// <exception cref="Diagnostics.LoraException">The file cannot be read, or describes a model the engine cannot build.</exception>
    public static ModelConfig Load(string path) => ModelConfigReader.ReadFile(path);

    /// <summary>Parses and validates the text of a <c>config.json</c>; <paramref name="location"/> names it in errors.</summary>
    /// <exception cref="Diagnostics.LoraException">The text describes a model the engine cannot build.</exception>
    public static ModelConfig Parse(string json, string location = "config.json") => ModelConfigReader.Read(json, location);
}
