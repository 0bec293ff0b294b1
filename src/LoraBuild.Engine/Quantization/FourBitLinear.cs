using LoraBuild.Engine.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// A frozen linear layer whose weight is held in 4 bits, NF4 or FP4 (<see cref="FourBitWeight"/>): the forward pass dequantizes it to the
/// input's dtype for the matmul, and the backward pass dequantizes it again instead of keeping the full weight alive,
/// so between the two only the 4-bit codes are resident. Gradients flow to the input only.
/// </summary>
public sealed class FourBitLinear : nn.Module<Tensor, Tensor>
{
    private readonly Tensor? _bias;

    private FourBitLinear(FourBitWeight weight, Tensor? bias)
        : base(nameof(FourBitLinear))
    {
        Weight = weight;
        OutFeatures = weight.Shape[0];
        InFeatures = weight.Shape[1];
        if (bias is not null)
        {
            _bias = bias.detach().clone().DetachFromDisposeScope();
            register_buffer("bias", _bias);
        }
    }

    /// <summary>The quantized weight, [out, in].</summary>
    public FourBitWeight Weight { get; }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    /// <summary>Quantizes <paramref name="linear"/>'s weight to NF4 (its bias, if any, is kept as it is, frozen).</summary>
    public static FourBitLinear From(Linear linear, bool doubleQuantize = true) => From(linear, FourBitFormat.Nf4, doubleQuantize);

    /// <summary>Quantizes <paramref name="linear"/>'s weight to <paramref name="format"/> (its bias, if any, is kept as it is, frozen).</summary>
    public static FourBitLinear From(Linear linear, FourBitFormat format, bool doubleQuantize = true)
    {
        ArgumentNullException.ThrowIfNull(linear);
        ArgumentNullException.ThrowIfNull(format);
        using var noGrad = no_grad();
        return new FourBitLinear(FourBitWeight.Quantize(linear.weight, format, doubleQuantize), linear.bias);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = FourBitMatMul.apply(input, Weight);
        if (_bias is null)
        {
            return output;
        }

        using var scope = NewDisposeScope();
        return output.Plus(_bias.to_type(output.dtype)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Weight.Dispose();
        }

        base.Dispose(disposing);
    }
}
