using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tensors;

/// <summary>
/// Additions and subtractions whose scale factor stays alive for the whole native call. TorchSharp's <c>a + b</c>,
/// <c>add(b)</c>, <c>add_(b)</c> and <c>add(scalar)</c> pass an implicit <c>Scalar</c> alpha of 1 that
/// nothing references once its handle is read; a garbage collection during the call can then run its finalizer, which
/// frees the native scalar while libtorch still reads it. Seen here as "Expected false to be true" from
/// <c>c10::Scalar::toFloat</c> in a LoRA forward pass and in AdamW, whenever another thread allocated enough to make
/// collections frequent. The engine's hot paths use these instead, with one scalar that a static field keeps reachable.
/// Upstream fixes (disposing the implicit Scalar after the call): https://github.com/dotnet/TorchSharp/pull/1434 and
/// https://github.com/dotnet/TorchSharp/pull/1496, open and not in TorchSharp 0.107.0.
/// </summary>
internal static class LiveScalars
{
    /// <summary>1, never collected.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>0, never collected.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>2, never collected: the exponent of a square that keeps PyTorch's <c>pow</c> in the autograd graph.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    /// <summary><c>left + right</c>.</summary>
    public static Tensor Plus(this Tensor left, Tensor right) => left.add(right, One);

    /// <summary><c>left + right</c> for a scalar the caller keeps alive.</summary>
    public static Tensor Plus(this Tensor left, Scalar right) => left.add(right, One);

    /// <summary><c>left += right</c>, in place.</summary>
    public static Tensor PlusInPlace(this Tensor left, Tensor right) => left.add_(right, One);

    /// <summary><c>left += right</c>, in place, for a scalar the caller keeps alive.</summary>
    public static Tensor PlusInPlace(this Tensor left, Scalar right) => left.add_(right, One);
}
