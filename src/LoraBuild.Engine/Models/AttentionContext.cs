using LoraBuild.Engine.Generation;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>What every attention layer of one forward pass shares: rotary angles, the masks, and the cache.</summary>
/// <param name="Cos">Rotary cosines, [batch, 1, seq, headDim].</param>
/// <param name="Sin">Rotary sines, [batch, 1, seq, headDim].</param>
/// <param name="Mask">A boolean mask (true = may attend), broadcastable to [batch, heads, seq, keys]; null when none is needed.</param>
/// <param name="IsCausal">Whether attention should apply its own causal mask (only when <paramref name="Mask"/> is null).</param>
/// <param name="Cache">Keys and values of earlier positions; the layers append to it. Null when not caching.</param>
public sealed record AttentionContext(Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, KeyValueCache? Cache)
{
    /// <summary>The mask of layers that attend through a sliding window, when the model has such layers.</summary>
    public (Tensor? Mask, bool IsCausal)? SlidingMask { get; init; }

    /// <summary>The first layer that uses <see cref="SlidingMask"/>.</summary>
    public int SlidingFirstLayer { get; init; }

    /// <summary>The mask layer <paramref name="layer"/> attends with.</summary>
    public (Tensor? Mask, bool IsCausal) MaskFor(int layer) =>
        SlidingMask is { } sliding && layer >= SlidingFirstLayer ? sliding : (Mask, IsCausal);
}
