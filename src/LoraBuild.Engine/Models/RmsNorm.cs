using LoraBuild.Engine.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// Root-mean-square normalization as Hugging Face's Llama computes it: normalize in float32, cast back to the
/// input's type, then multiply by the weight. Gemma's form (<see cref="UnitOffset"/>) multiplies by 1 + weight while
/// still in float32, and casts last.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private Parameter _weight;

    /// <summary>
    /// Creates a norm over the last dimension of size <paramref name="size"/> that scales by its weight, or by
    /// 1 + weight when <paramref name="unitOffset"/>; either way it starts as the identity scale.
    /// </summary>
    public RmsNorm(long size, double epsilon, ScalarType dtype, Device device, bool unitOffset = false)
        : base(nameof(RmsNorm))
    {
        Epsilon = epsilon;
        UnitOffset = unitOffset;
        _weight = new Parameter(unitOffset ? zeros(size, dtype: dtype, device: device) : ones(size, dtype: dtype, device: device));
        RegisterComponents();
    }

    /// <summary>Whether the scale is 1 + weight (Gemma) rather than the weight.</summary>
    public bool UnitOffset { get; }

    /// <summary>The epsilon added to the mean square.</summary>
    public double Epsilon { get; }

    /// <summary>The learned scale, [size].</summary>
    public Parameter Weight => _weight;

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var inputType = input.dtype;
        var hidden = input.to_type(ScalarType.Float32);
        // An explicit scalar, alive until the call returns (see LiveScalars).
        using var epsilon = Epsilon.ToScalar();
        // pow(2) as Hugging Face writes it, with a Scalar that stays alive: square() makes a Scalar of its own (see
        // LiveScalars), and hidden · hidden, though equal forward, sums its gradient in another order.
        var meanSquare = hidden.pow(LiveScalars.Two).mean([-1], keepdim: true);
        var normalized = hidden * rsqrt(meanSquare.Plus(epsilon));
        if (UnitOffset)
        {
            var scale = _weight.to_type(ScalarType.Float32).Plus(LiveScalars.One);
            return (normalized * scale).to_type(inputType).MoveToOuterDisposeScope();
        }

        return (_weight * normalized.to_type(inputType)).MoveToOuterDisposeScope();
    }
}
