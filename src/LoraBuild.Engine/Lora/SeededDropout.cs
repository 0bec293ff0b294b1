using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Lora;

/// <summary>
/// Inverted dropout whose mask comes from a caller's generator, since TorchSharp's <c>dropout</c> draws from the global
/// one. Each element is kept when a uniform draw u ∈ [0, 1) satisfies u ≥ p, and kept elements are scaled by 1/(1 − p),
/// so the expectation is unchanged. One call draws numel(x) float32 values, in row-major order, on the generator's device.
/// </summary>
public static class SeededDropout
{
    /// <summary>Returns <paramref name="input"/> with dropout applied (a new tensor); p = 0 returns an alias.</summary>
    public static Tensor Apply(Tensor input, double probability, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(generator);
        if (!(probability is >= 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Dropout probability must be in [0, 1).");
        }

        if (probability == 0)
        {
            return input.alias();
        }

        using var scope = NewDisposeScope();
        var draws = rand(input.shape, ScalarType.Float32, generator.device, generator: generator);
        using var threshold = probability.ToScalar();
        using var inverseKeep = (1.0 / (1.0 - probability)).ToScalar();
        var keep = draws.ge(threshold).to(input.device);
        return input.mul(keep).mul(inverseKeep).MoveToOuterDisposeScope();
    }
}
