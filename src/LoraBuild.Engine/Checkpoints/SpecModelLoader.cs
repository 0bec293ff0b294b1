using LoraBuild.Core.Specs;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Checkpoints;

/// <summary>
/// Loads a base model, and an adapter on it, the way a training spec says: weights in the spec's precision, the
/// decoder's linear layers in the spec's quantization, then the adapter. Training, <c>eval</c>, <c>generate</c> and the
/// runtime API all load through here, so an adapter is always measured and used on the base it was trained on.
/// </summary>
public static class SpecModelLoader
{
    /// <summary>The dtype of the base weights for <paramref name="spec"/>'s precision (bf16 or float32).</summary>
    public static ScalarType DTypeOf(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Precision == Precisions.Bf16 ? ScalarType.BFloat16 : ScalarType.Float32;
    }

    /// <param name="spec">The settings whose precision and quantization apply (a spec, or an adapter's recorded one).</param>
    /// <param name="baseModelDirectory">The base model folder.</param>
    /// <param name="adapterDirectory">An adapter folder to put on the quantized base, or null for the base alone.</param>
    /// <param name="device">Where the weights live; null resolves the spec's <c>device</c> setting (<see cref="Native.DeviceResolver"/>).</param>
    /// <exception cref="Core.Diagnostics.LoraException">A file of the model or the adapter is missing or invalid.</exception>
    public static PretrainedModel Load(TrainingSpec spec, string baseModelDirectory, string? adapterDirectory = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(baseModelDirectory);
        device ??= Native.DeviceResolver.Resolve(spec.Device, spec.LocationOf("device"));
        return PretrainedModel.Load(baseModelDirectory, DTypeOf(spec), device, adapterDirectory, spec.Quantization);
    }
}
