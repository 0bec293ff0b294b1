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

    /// <summary>The first layer that uses <see cref="SlidingMask"/>, unless <see cref="SlidingLayers"/> names them.</summary>
    public int SlidingFirstLayer { get; init; }

    /// <summary>One flag per layer: whether it uses <see cref="SlidingMask"/> (Gemma's alternating layers); null when <see cref="SlidingFirstLayer"/> decides.</summary>
    public IReadOnlyList<bool>? SlidingLayers { get; init; }

    /// <summary>Rotary cosines and sines of sliding layers when they rotate differently (Gemma 3's local base); null when all layers share <see cref="Cos"/> and <see cref="Sin"/>.</summary>
    public (Tensor Cos, Tensor Sin)? SlidingRotary { get; init; }

    /// <summary>Whether layer <paramref name="layer"/> attends through the sliding window.</summary>
    public bool IsSliding(int layer) =>
        SlidingMask is not null && (SlidingLayers is { } flags ? layer < flags.Count && flags[layer] : layer >= SlidingFirstLayer);

    /// <summary>The mask layer <paramref name="layer"/> attends with.</summary>
    public (Tensor? Mask, bool IsCausal) MaskFor(int layer) =>
        IsSliding(layer) ? SlidingMask!.Value : (Mask, IsCausal);

    /// <summary>The rotary cosines and sines layer <paramref name="layer"/> rotates with.</summary>
    public (Tensor Cos, Tensor Sin) RotaryFor(int layer) =>
        SlidingRotary is { } local && IsSliding(layer) ? local : (Cos, Sin);

    /// <summary>A context for layer <paramref name="layer"/> alone, its mask and rotation resolved, without a cache.</summary>
    public AttentionContext ForLayer(int layer)
    {
        var (cos, sin) = RotaryFor(layer);
        var (mask, isCausal) = MaskFor(layer);
        return new AttentionContext(cos, sin, mask, isCausal, Cache: null);
    }
}
