using LoraBuild.Engine.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>Decides how a forward pass masks attention, building a boolean mask only when one is needed.</summary>
public static class AttentionMasks
{
    /// <summary>
    /// The mask for <paramref name="queryLength"/> new positions following <paramref name="pastLength"/> cached ones.
    /// </summary>
    /// <param name="queryLength">New positions in this pass.</param>
    /// <param name="pastLength">Positions already in the cache.</param>
    /// <param name="paddingMask">[batch, past + query]: 1 (or true) for real tokens, 0 for padding; null when nothing is padded.</param>
    /// <param name="slidingWindow">When set, a query sees only the last this-many positions (itself included).</param>
    /// <param name="device">Where to build the mask.</param>
    /// <returns>
    /// A boolean mask (true = may attend) of shape [batch or 1, 1, query, past + query], or null with
    /// <c>IsCausal</c> true when the attention kernel's own causal mask is exactly right.
    /// </returns>
    public static (Tensor? Mask, bool IsCausal) For(
        long queryLength, long pastLength, Tensor? paddingMask, int? slidingWindow, Device device)
    {
        var keyLength = pastLength + queryLength;
        var windowApplies = slidingWindow is { } window && keyLength > window;
        if (paddingMask is null && !windowApplies)
        {
            if (pastLength == 0)
            {
                return (null, true);
            }

            if (queryLength == 1)
            {
                return (null, false);
            }
        }

        using var scope = NewDisposeScope();
        // Explicit scalars, alive until each call returns (see LiveScalars).
        using var first = pastLength.ToScalar();
        using var end = keyLength.ToScalar();
        using var zero = 0.ToScalar();
        using var windowSize = (slidingWindow ?? 0).ToScalar();
        // The step is passed too: the two-bound overload makes its own step Scalar, unreachable during the native call.
        var queryPositions = arange(first, end, LiveScalars.One, dtype: ScalarType.Int64, device: device).unsqueeze(1);
        var keyPositions = arange(zero, end, LiveScalars.One, dtype: ScalarType.Int64, device: device).unsqueeze(0);
        var allowed = keyPositions <= queryPositions;
        if (windowApplies)
        {
            allowed = allowed.logical_and((queryPositions - keyPositions).lt(windowSize));
        }

        allowed = allowed.unsqueeze(0).unsqueeze(0);
        if (paddingMask is not null)
        {
            var keyIsReal = paddingMask.to(device).to_type(ScalarType.Bool).unsqueeze(1).unsqueeze(1);

            // A padded query would otherwise see no key at all, and softmax over nothing is NaN; letting it see
            // itself keeps every row finite. Outputs at padded positions are never used.
            var self = (keyPositions == queryPositions).unsqueeze(0).unsqueeze(0);
            allowed = allowed.logical_and(keyIsReal).logical_or(self);
        }

        return (allowed.MoveToOuterDisposeScope(), false);
    }
}
