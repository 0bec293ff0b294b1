using LoraBuild.Core.Models;

namespace LoraBuild.Engine.Benchmarks;

/// <summary>
/// The matmul work of one LoRA training step on a frozen base, counted the standard way (one multiply-add = 2 FLOPs,
/// non-matmul work such as norms, rotary, softmax and the optimizer left out):
/// <list type="bullet">
/// <item>frozen base projections, <c>4 · N_dec · T</c>: forward 2·N per token, backward 2·N per token for the
/// input gradient only (a frozen weight gets no gradient, so the usual third 2·N is not spent);</item>
/// <item>output head, <c>4 · hidden · vocab · P</c>: the same, over the P positions that predict a token;</item>
/// <item>attention scores and mixing, <c>3 · 4 · layers · S · d_attn · T</c>: QKᵀ and AV cost 2·S·d_attn each per
/// token and layer in the forward pass (the full S×S product, causal masking not subtracted), and twice that
/// backward;</item>
/// <item>LoRA matrices, <c>6 · N_lora · T</c>: they are trained, so forward, input gradient and weight gradient.</item>
/// </list>
/// T = batch · S tokens, N_dec = the weights of every decoder projection, d_attn = query heads · head size.
/// </summary>
/// <param name="BaseProjections">Frozen decoder projections, forward and input gradient.</param>
/// <param name="OutputHead">The output head, forward and input gradient.</param>
/// <param name="Attention">Attention scores and weighted values, forward and backward.</param>
/// <param name="Lora">The LoRA matrices, forward and both gradients.</param>
public sealed record TrainingFlops(double BaseProjections, double OutputHead, double Attention, double Lora)
{
    /// <summary>Every FLOP of the step.</summary>
    public double Total => BaseProjections + OutputHead + Attention + Lora;

    /// <summary>The FLOPs of one step over <paramref name="batchSize"/> rows of <paramref name="sequenceLength"/> tokens.</summary>
    /// <param name="config">The base model.</param>
    /// <param name="loraParameters">Trainable LoRA elements (r·(in + out) summed over adapted layers).</param>
    /// <param name="batchSize">Rows per step.</param>
    /// <param name="sequenceLength">Tokens per row, every one real.</param>
    /// <param name="predictedTokens">Positions projected onto the vocabulary for the loss.</param>
    public static TrainingFlops ForStep(ModelConfig config, long loraParameters, int batchSize, int sequenceLength, long predictedTokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfNegative(loraParameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(predictedTokens);

        double tokens = (long)batchSize * sequenceLength;
        double decoderWeights = DecoderProjectionWeights(config);
        double attentionWidth = (long)config.NumAttentionHeads * config.HeadDim;
        return new TrainingFlops(
            BaseProjections: 4 * decoderWeights * tokens,
            OutputHead: 4.0 * config.HiddenSize * config.VocabSize * predictedTokens,
            Attention: 3 * 4.0 * config.NumHiddenLayers * sequenceLength * attentionWidth * tokens,
            Lora: 6.0 * loraParameters * tokens);
    }

    /// <summary>N_dec: the weight elements (biases aside) of every projection of every decoder layer.</summary>
    public static long DecoderProjectionWeights(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ParameterCounts.DecoderLinearLayers(config).Sum(layer => (long)layer.InFeatures * layer.OutFeatures) * config.NumHiddenLayers;
    }
}
