using LoraBuild.Engine.Models.Gemma;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// Attention written out as transformers' eager path computes it, for what the fused kernel cannot do: scores
/// q·kᵀ · scale, optionally soft-capped, masked, softmax in float32, cast back, times v.
/// </summary>
public static class EagerAttention
{
    /// <param name="queries">[batch, heads, seq, headDim].</param>
    /// <param name="keys">[batch, heads, keys, headDim] (key/value heads already repeated).</param>
    /// <param name="values">As <paramref name="keys"/>.</param>
    /// <param name="mask">Boolean, true = may attend, broadcastable to [batch, heads, seq, keys]; null for none.</param>
    /// <param name="isCausal">With no mask: whether each query sees only keys up to its own position (the last <c>seq</c> of the keys).</param>
    /// <param name="scale">The factor applied to q·kᵀ.</param>
    /// <param name="softCap">Gemma 2's <c>attn_logit_softcapping</c>; null for none.</param>
    public static Tensor Attend(Tensor queries, Tensor keys, Tensor values, Tensor? mask, bool isCausal, double scale, double? softCap)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        using var scope = NewDisposeScope();
        using var scaleScalar = scale.ToScalar();
        var scores = matmul(queries, keys.transpose(-2, -1)).mul(scaleScalar);
        if (softCap is { } cap)
        {
            scores = SoftCapping.Apply(scores, cap);
        }

        var allowed = mask ?? (isCausal ? CausalMask(queries.shape[^2], keys.shape[^2], queries.device) : null);
        if (allowed is not null)
        {
            using var blocked = double.NegativeInfinity.ToScalar();
            scores = scores.masked_fill(allowed.logical_not(), blocked);
        }

        var probabilities = nn.functional.softmax(scores, -1, ScalarType.Float32).to_type(queries.dtype);
        return matmul(probabilities, values).MoveToOuterDisposeScope();
    }

    private static Tensor CausalMask(long queryLength, long keyLength, Device device) =>
        ones(queryLength, keyLength, ScalarType.Bool, device).tril(keyLength - queryLength);
}
