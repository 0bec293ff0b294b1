using LoraBuild.Engine.Generation;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>What every attention layer of one forward pass shares: rotary angles, the mask, and the cache.</summary>
/// <param name="Cos">Rotary cosines, [batch, 1, seq, headDim].</param>
/// <param name="Sin">Rotary sines, [batch, 1, seq, headDim].</param>
/// <param name="Mask">A boolean mask (true = may attend), broadcastable to [batch, heads, seq, keys]; null when none is needed.</param>
/// <param name="IsCausal">Whether attention should apply its own causal mask (only when <paramref name="Mask"/> is null).</param>
/// <param name="Cache">Keys and values of earlier positions; the layers append to it. Null when not caching.</param>
public sealed record AttentionContext(Tensor Cos, Tensor Sin, Tensor? Mask, bool IsCausal, KeyValueCache? Cache);
