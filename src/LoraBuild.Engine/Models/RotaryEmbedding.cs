using LoraBuild.Engine.Tensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// Rotary position embeddings in Hugging Face's convention: the head is split into two halves that rotate as
/// pairs (x[i], x[i + d/2]) — not interleaved pairs — and the angles are computed in float32.
/// </summary>
public static class RotaryEmbedding
{
    /// <summary>
    /// Cosines and sines for <paramref name="positions"/> ([batch, seq] integers), each shaped
    /// [batch, 1, seq, headDim] so they broadcast over heads, in <paramref name="dtype"/>.
    /// </summary>
    public static (Tensor Cos, Tensor Sin) CosSin(Tensor positions, ReadOnlySpan<float> inverseFrequencies, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(positions);
        using var scope = NewDisposeScope();
        var frequencies = tensor(inverseFrequencies.ToArray(), dtype: ScalarType.Float32, device: positions.device);
        var angles = positions.to_type(ScalarType.Float32).unsqueeze(-1) * frequencies;
        var doubled = cat([angles, angles], -1).unsqueeze(1);
        var cos = doubled.cos().to_type(dtype);
        var sin = doubled.sin().to_type(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>Rotates <paramref name="x"/> ([batch, heads, seq, headDim]) by the angles behind <paramref name="cos"/> and <paramref name="sin"/>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var rotated = (x * cos).Plus(RotateHalf(x) * sin);
        return rotated.MoveToOuterDisposeScope();
    }

    /// <summary>[x1, x2] → [−x2, x1] along the last dimension.</summary>
    public static Tensor RotateHalf(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var first = x.narrow(-1, 0, half);
        var second = x.narrow(-1, half, half);
        return cat([second.neg(), first], -1).MoveToOuterDisposeScope();
    }
}
