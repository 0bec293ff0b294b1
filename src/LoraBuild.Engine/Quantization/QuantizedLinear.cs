using LoraBuild.Engine.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// A frozen linear layer whose weight is held quantized (<see cref="IQuantizedWeight"/>: 4-bit NF4 or FP4, or int8): the
/// forward pass dequantizes it to the input's dtype for the matmul, and the backward pass dequantizes it again instead
/// of keeping the full weight alive, so between the two only the codes are resident. Gradients flow to the input only.
/// </summary>
public sealed class QuantizedLinear : nn.Module<Tensor, Tensor>
{
    private readonly Tensor? _bias;

    private QuantizedLinear(IQuantizedWeight weight, Tensor? bias)
        : base(nameof(QuantizedLinear))
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
    public IQuantizedWeight Weight { get; }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    /// <summary>Quantizes <paramref name="linear"/>'s weight to NF4 (its bias, if any, is kept as it is, frozen).</summary>
    public static QuantizedLinear From(Linear linear, bool doubleQuantize = true) => From(linear, FourBitFormat.Nf4, doubleQuantize);

    /// <summary>Quantizes <paramref name="linear"/>'s weight to <paramref name="format"/> (its bias, if any, is kept as it is, frozen).</summary>
    public static QuantizedLinear From(Linear linear, FourBitFormat format, bool doubleQuantize = true)
    {
        ArgumentNullException.ThrowIfNull(format);
        return From(linear, weight => FourBitWeight.Quantize(weight, format, doubleQuantize));
    }

    /// <summary>Quantizes <paramref name="linear"/>'s weight with <paramref name="quantize"/> (its bias, if any, is kept as it is, frozen).</summary>
    public static QuantizedLinear From(Linear linear, Func<Tensor, IQuantizedWeight> quantize)
    {
        ArgumentNullException.ThrowIfNull(linear);
        ArgumentNullException.ThrowIfNull(quantize);
        using var noGrad = no_grad();
        return new QuantizedLinear(quantize(linear.weight), linear.bias);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = QuantizedMatMul.apply(input, Weight);
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
