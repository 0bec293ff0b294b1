using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models.Gemma;

/// <summary>Gemma's soft-capping of attention scores and logits: cap · tanh(x / cap), as transformers computes it.</summary>
public static class SoftCapping
{
    /// <summary>Squashes <paramref name="values"/> into (−cap, cap), nearly unchanged where |x| ≪ cap.</summary>
    public static Tensor Apply(Tensor values, double cap)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cap);
        using var scope = NewDisposeScope();
        // An explicit scalar, alive until each call returns (see LiveScalars).
        using var capScalar = cap.ToScalar();
        return values.div(capScalar).tanh().mul(capScalar).MoveToOuterDisposeScope();
    }
}
