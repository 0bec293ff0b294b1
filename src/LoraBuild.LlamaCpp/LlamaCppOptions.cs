namespace LoraBuild.LlamaCpp;

/// <summary>How <see cref="LlamaCppAdaptedModel"/> runs llama.cpp.</summary>
public sealed record LlamaCppOptions
{
    /// <summary>The context length in tokens (llama.cpp rounds it up to 256).</summary>
    public uint ContextSize { get; init; } = 1024;

    /// <summary>CPU threads; null lets LLamaSharp choose (half the processors).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Keep the KV cache in float32 rather than llama.cpp's default float16: slower and twice the cache memory, but answers
    /// then match LoraBuild's own engine token for token (a float16 cache alone moves log-probabilities by ~1e-2).
    /// </summary>
    public bool Float32KeyValueCache { get; init; } = true;

    /// <summary>Layers to offload to a GPU backend, when the app references one.</summary>
    public int GpuLayerCount { get; init; }

    /// <summary>Tokens generated per answer at most, unless a request says otherwise.</summary>
    public int MaxNewTokens { get; init; } = 64;
}
