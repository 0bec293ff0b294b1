namespace LoraBuild.Core.Models;

/// <summary>The families LoraBuild implements.</summary>
public static class ModelArchitectures
{
    public static ModelArchitecture Llama { get; } = new()
    {
        Family = ModelFamily.Llama,
        HuggingFaceClass = "LlamaForCausalLM",
        ModelType = "llama",
        LlamaCppName = "llama",
        LlamaCppPermutesQueryAndKey = true,
    };

    /// <summary>Mistral: the Llama layout with sliding-window attention; llama.cpp's converter writes it as <c>llama</c>.</summary>
    public static ModelArchitecture Mistral { get; } = new()
    {
        Family = ModelFamily.Mistral,
        HuggingFaceClass = "MistralForCausalLM",
        ModelType = "mistral",
        LlamaCppName = "llama",
        LlamaCppPermutesQueryAndKey = true,
        SlidingWindow = SlidingWindowRule.AllLayers,
    };

    public static ModelArchitecture Qwen2 { get; } = new()
    {
        Family = ModelFamily.Qwen2,
        HuggingFaceClass = "Qwen2ForCausalLM",
        ModelType = "qwen2",
        LlamaCppName = "qwen2",
        QkvBiasAlways = true,
        ReadsBiasFlags = false,
        SlidingWindow = SlidingWindowRule.FromMaxWindowLayers,
    };

    public static ModelArchitecture Qwen3 { get; } = new()
    {
        Family = ModelFamily.Qwen3,
        HuggingFaceClass = "Qwen3ForCausalLM",
        ModelType = "qwen3",
        LlamaCppName = "qwen3",
        QueryKeyNorm = true,
        SlidingWindow = SlidingWindowRule.FromMaxWindowLayers,
    };

    /// <summary>Gemma 2, with transformers' <c>Gemma2Config</c> defaults for the keys a config may omit.</summary>
    public static ModelArchitecture Gemma2 { get; } = new()
    {
        Family = ModelFamily.Gemma2,
        HuggingFaceClass = "Gemma2ForCausalLM",
        ModelType = "gemma2",
        LlamaCppName = "gemma2",
        ReadsMlpBias = false,
        ActivationKey = "hidden_activation",
        DefaultActivation = HiddenActivation.GeluTanh,
        UnitOffsetNorms = true,
        SandwichNorms = true,
        ScalesEmbedding = true,
        ReadsGemmaAttention = true,
        DefaultAttentionLogitSoftCapping = 50.0,
        DefaultFinalLogitSoftCapping = 30.0,
        SlidingWindow = SlidingWindowRule.EvenLayers,
        DefaultHeadDim = 256,
        DefaultTiedEmbeddings = true,
        RefusedKeys = ["partial_rotary_factor", "layer_norm_eps", "use_qk_norm"],
    };

    /// <summary>Gemma 3's text model, with transformers' <c>Gemma3TextConfig</c> defaults.</summary>
    public static ModelArchitecture Gemma3 { get; } = new()
    {
        Family = ModelFamily.Gemma3,
        HuggingFaceClass = "Gemma3ForCausalLM",
        ModelType = "gemma3_text",
        LlamaCppName = "gemma3",
        ReadsMlpBias = false,
        ActivationKey = "hidden_activation",
        DefaultActivation = HiddenActivation.GeluTanh,
        UnitOffsetNorms = true,
        SandwichNorms = true,
        ScalesEmbedding = true,
        QueryKeyNorm = true,
        ReadsGemmaAttention = true,
        SlidingWindow = SlidingWindowRule.FromLayerTypes,
        DefaultSlidingWindowPattern = 6,
        LocalRotaryBase = true,
        DefaultHeadDim = 256,
        DefaultRopeTheta = 1_000_000.0,
        DefaultTiedEmbeddings = true,
        RefusedKeys = ["partial_rotary_factor", "layer_norm_eps", "use_qk_norm"],
    };

    /// <summary>
    /// Phi-3 (mini, medium), with transformers' <c>Phi3Config</c> defaults: fused projections, no biases whatever
    /// <c>attention_bias</c> says, <c>sliding_window</c> on every layer. The long-context <c>rope_scaling</c> (longrope) and
    /// Phi-4-mini's <c>partial_rotary_factor</c> are refused, as are the residual and embedding dropouts.
    /// </summary>
    public static ModelArchitecture Phi3 { get; } = new()
    {
        Family = ModelFamily.Phi3,
        HuggingFaceClass = "Phi3ForCausalLM",
        ModelType = "phi3",
        LlamaCppName = "phi3",
        FusedProjections = true,
        ReadsBiasFlags = false,
        ReadsMlpBias = false,
        ReadsRopeScaling = false,
        SlidingWindow = SlidingWindowRule.AllLayers,
        RefusedKeys =
        [
            "attn_logit_softcapping", "final_logit_softcapping", "query_pre_attn_scalar", "partial_rotary_factor", "layer_norm_eps", "use_qk_norm",
            "resid_pdrop", "embd_pdrop",
        ],
    };

    public static IReadOnlyList<ModelArchitecture> All { get; } = [Llama, Mistral, Qwen2, Qwen3, Gemma2, Gemma3, Phi3];

    public static ModelArchitecture For(ModelFamily family) => All.First(architecture => architecture.Family == family);

    public static ModelArchitecture? ByHuggingFaceClass(string name) => All.FirstOrDefault(architecture => architecture.HuggingFaceClass == name);

    public static ModelArchitecture? ByModelType(string modelType) => All.FirstOrDefault(architecture => architecture.ModelType == modelType);
}
