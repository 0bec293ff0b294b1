using static TorchSharp.torch;

namespace LoraBuild.Engine.Runtime;

/// <summary>How <see cref="AdaptedModel.Load(string, string, AdaptedModelOptions?)"/> loads a base model and an adapter.</summary>
public sealed record AdaptedModelOptions
{
    /// <summary>
    /// The dtype of the base weights; null (the default) loads them in the precision the adapter was trained in (its
    /// <c>lorabuild.json</c>'s, float32 without one). The LoRA matrices stay float32.
    /// </summary>
    public ScalarType? DType { get; init; }

    /// <summary>
    /// How the base's decoder linear layers are quantized (<c>none</c>, <c>nf4</c>, <c>fp4</c>, <c>int8</c>); null (the
    /// default) quantizes them as the adapter was trained (its <c>lorabuild.json</c>'s, none without one), so the adapter
    /// answers as its evaluation measured.
    /// </summary>
    public string? Quantization { get; init; }

    /// <summary>Where the weights live; the CPU when null.</summary>
    public Device? Device { get; init; }

    /// <summary>Which adapter of a package that holds several; may stay null for a package with one adapter, or an adapter folder.</summary>
    public string? AdapterName { get; init; }

    /// <summary>
    /// Whether an adapter trained on another base model is an error (LORA4114) rather than a warning in
    /// <see cref="AdaptedModel.Warnings"/>.
    /// </summary>
    public bool RequireMatchingBaseModel { get; init; }

    /// <summary>Where adapters from a <c>.nupkg</c> file are extracted; the user cache when null.</summary>
    public string? ExtractionFolder { get; init; }
}
