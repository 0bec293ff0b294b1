using System.Text.Json.Serialization;
using LoraBuild.Engine.Quantization;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// The parts of a training run's memory that can be counted from its tensors: the frozen weights (NF4 layers at their
/// packed size), the trainable parameters, their gradients and the optimizer state. Activations are what is left of
/// the measured peak; they live only inside a step and are not counted tensor by tensor.
/// </summary>
public sealed record MemoryShares
{
    /// <summary>Frozen parameters and buffers, with NF4 weights at their storage size (codes and scales).</summary>
    [JsonPropertyName("frozen_weights_bytes")]
    public required long FrozenWeightBytes { get; init; }

    /// <summary>The parameters the optimizer updates.</summary>
    [JsonPropertyName("trainable_bytes")]
    public required long TrainableBytes { get; init; }

    /// <summary>One gradient per trainable parameter, of its size.</summary>
    [JsonPropertyName("gradients_bytes")]
    public required long GradientBytes { get; init; }

    /// <summary>Every state tensor the optimizer keeps (AdamW's two moments, SGD's momentum buffer, …).</summary>
    [JsonPropertyName("optimizer_state_bytes")]
    public required long OptimizerStateBytes { get; init; }

    [JsonIgnore]
    public long Total => FrozenWeightBytes + TrainableBytes + GradientBytes + OptimizerStateBytes;

    /// <summary>Counts the shares of <paramref name="model"/> trained with <paramref name="state"/>.</summary>
    public static MemoryShares Count(nn.Module model, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(state);
        // modules() can yield a module once per path that reaches it (a LoRA wrapper's base_layer is one), hence Distinct.
        var frozen = model.parameters().Where(parameter => !parameter.requires_grad).Sum(Bytes)
            + model.buffers().Sum(Bytes)
            + model.modules().OfType<QuantizedLinear>().Distinct(ReferenceEqualityComparer.Instance).Cast<QuantizedLinear>().Sum(layer => layer.Weight.StorageBytes);
        var trainable = state.Parameters.Values.Sum(parameter => Bytes(parameter));
        var optimizerState = state.Optimizer.Parameters.Sum(parameter => parameter.State.Values.Sum(Bytes));
        return new MemoryShares
        {
            FrozenWeightBytes = frozen,
            TrainableBytes = trainable,
            GradientBytes = trainable,
            OptimizerStateBytes = optimizerState,
        };
    }

    private static long Bytes(Tensor tensor) => tensor.numel() * tensor.element_size();
}
