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

    public static IReadOnlyList<ModelArchitecture> All { get; } = [Llama, Mistral, Qwen2, Qwen3];

    public static ModelArchitecture For(ModelFamily family) => All.First(architecture => architecture.Family == family);

    public static ModelArchitecture? ByHuggingFaceClass(string name) => All.FirstOrDefault(architecture => architecture.HuggingFaceClass == name);

    public static ModelArchitecture? ByModelType(string modelType) => All.FirstOrDefault(architecture => architecture.ModelType == modelType);
}
