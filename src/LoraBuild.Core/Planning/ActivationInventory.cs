using LoraBuild.Core.Lora;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Planning;

/// <summary>
/// Bytes per token of the tensors a Llama-family decoder keeps from the forward pass for the backward pass, counted
/// tensor by tensor for a PyTorch-style implementation with fused (flash / memory-efficient) attention. These are raw
/// counts: the planner scales them by a factor fitted to published measurements (<see cref="MemoryCalibration"/>),
/// which absorbs what a count cannot see (backward-pass temporaries, allocator rounding).
/// </summary>
public static class ActivationInventory
{
    /// <summary>
    /// One decoder layer, without LoRA:
    /// <list type="bullet">
    /// <item>two RMSNorms, each keeping its input upcast to fp32 (4·hidden);</item>
    /// <item>attention keeping q, k and v (k and v repeated to the query heads, as grouped-query attention without native
    /// support does) and its output, in the compute dtype (4·heads·head_dim), plus an fp32 log-sum-exp per head;</item>
    /// <item>the SwiGLU MLP keeping the gate projection (SiLU's input), SiLU's output and the up projection (3·intermediate);</item>
    /// <item>when <paramref name="linearInputsSaved"/>: the inputs of the linear layers, which a layer keeps only when it
    /// needs them for its weight's gradient (full fine-tuning) or when a 4-bit layer keeps them anyway (bitsandbytes'
    /// <c>MatMul4Bit</c> saves its input whenever the input needs a gradient): the attention norm's output (shared by q, k, v),
    /// the attention output (o_proj), the MLP norm's output (shared by gate and up) and the gated product (down_proj).</item>
    /// </list>
    /// A frozen dense linear layer keeps nothing: autograd saves an input only for the weight's gradient.
    /// </summary>
    public static long DecoderLayerPerToken(ModelConfig config, ComputePrecision precision, bool linearInputsSaved)
    {
        ArgumentNullException.ThrowIfNull(config);
        long s = precision.ElementBytes();
        long hidden = config.HiddenSize;
        long queryWidth = (long)config.NumAttentionHeads * config.HeadDim;
        long intermediate = config.IntermediateSize;

        var norms = 2 * 4 * hidden;
        var attention = (s * 4 * queryWidth) + (4L * config.NumAttentionHeads);
        var mlp = 3 * s * intermediate;
        var linearInputs = linearInputsSaved ? s * ((2 * hidden) + queryWidth + intermediate) : 0;
        return norms + attention + mlp + linearInputs;
    }

    /// <summary>
    /// One LoRA pair: its dropout's output (the input of A, kept for A's gradient), the dropout's boolean mask, and
    /// A's output (the input of B, kept for B's gradient). Each pair has its own dropout, as in PEFT and LoraBuild.
    /// </summary>
    public static long LoraPairPerToken(LoraTarget target, ComputePrecision precision)
    {
        ArgumentNullException.ThrowIfNull(target);
        long s = precision.ElementBytes();
        return ((s + 1) * target.InFeatures) + (s * target.Rank);
    }

    /// <summary>
    /// The output head and the loss: the logits in the compute dtype, then an fp32 copy and fp32 log-probabilities for
    /// the cross-entropy (the gradient of the logits reuses a buffer of that size).
    /// </summary>
    public static long LogitsPerToken(ModelConfig config, ComputePrecision precision)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (precision.ElementBytes() + 8L) * config.VocabSize;
    }

    /// <summary>With activation checkpointing, what each decoder layer keeps: its input, in the compute dtype.</summary>
    public static long CheckpointPerLayerPerToken(ModelConfig config, ComputePrecision precision)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (long)precision.ElementBytes() * config.HiddenSize;
    }
}
