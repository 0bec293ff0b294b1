using LoraBuild.Engine.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// Root-mean-square normalization as Hugging Face's Llama computes it: normalize in float32, cast back to the
/// input's type, then multiply by the weight.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "weight")]
    private Parameter _weight;

    /// <summary>Creates a norm over the last dimension of size <paramref name="size"/>, with its weight set to ones.</summary>
    public RmsNorm(long size, double epsilon, ScalarType dtype, Device device)
        : base(nameof(RmsNorm))
    {
        Epsilon = epsilon;
        _weight = new Parameter(ones(size, dtype: dtype, device: device));
        RegisterComponents();
    }

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
        return (_weight * normalized.to_type(inputType)).MoveToOuterDisposeScope();
    }
}
