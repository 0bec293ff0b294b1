using static TorchSharp.torch;

namespace LoraBuild.Engine.Runtime;

/// <summary>How <see cref="AdaptedModel.Load(string, string, AdaptedModelOptions?)"/> loads a base model and an adapter.</summary>
public sealed record AdaptedModelOptions
{
    /// <summary>The dtype of the base weights (float32 by default); the LoRA matrices stay float32.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;

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
