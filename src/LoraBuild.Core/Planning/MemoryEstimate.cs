namespace LoraBuild.Core.Planning;

/// <summary>
/// The uncalibrated parts of a run's memory, in bytes: what can be counted exactly (weights, trained parameters,
/// gradients, optimizer state, logits) and the raw activation inventory that calibration scales.
/// </summary>
public sealed record MemoryEstimate
{
    /// <summary>Frozen base weights held quantized, NF4, FP4 or int8 (codes plus scales); zero without quantization.</summary>
    public required long QuantizedBaseWeights { get; init; }

    /// <summary>Frozen base weights held in the compute dtype (with quantized weights: embeddings, norms and the output head).</summary>
    public required long DenseBaseWeights { get; init; }

    /// <summary>Elements trained: r·(in + out) per LoRA pair, or every parameter in full fine-tuning.</summary>
    public required long TrainableParameterCount { get; init; }

    /// <summary>Bytes of one element of a trained parameter, its gradient and each optimizer state tensor.</summary>
    public required int TrainableElementBytes { get; init; }

    /// <summary>The trained parameters themselves.</summary>
    public long TrainableParameters => TrainableParameterCount * TrainableElementBytes;

    /// <summary>Their gradients, one per trained element.</summary>
    public long Gradients => TrainableParameterCount * TrainableElementBytes;

    /// <summary>Optimizer state tensors the size of the trained parameters.</summary>
    public required int OptimizerStateTensors { get; init; }

    /// <summary>The optimizer's state.</summary>
    public long OptimizerState => TrainableParameterCount * TrainableElementBytes * OptimizerStateTensors;

    /// <summary>The raw activation inventory of one micro-batch (<see cref="ActivationInventory"/>), before calibration.</summary>
    public required long RawActivations { get; init; }

    /// <summary>Logits and the cross-entropy's fp32 working set for one micro-batch.</summary>
    public required long Logits { get; init; }

    /// <summary>Everything counted exactly: weights, trained parameters, gradients, optimizer state and logits.</summary>
    public long Counted => QuantizedBaseWeights + DenseBaseWeights + TrainableParameters + Gradients + OptimizerState + Logits;
}
