using LoraBuild.Engine.Tensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// A frozen linear layer whose weight is held as NF4 (<see cref="Nf4Weight"/>): the forward pass dequantizes it to the
/// input's dtype for the matmul, and the backward pass dequantizes it again instead of keeping the full weight alive,
/// so between the two only the 4-bit codes are resident. Gradients flow to the input only.
/// </summary>
public sealed class Nf4Linear : nn.Module<Tensor, Tensor>
{
    private readonly Tensor? _bias;

    private Nf4Linear(Nf4Weight weight, Tensor? bias)
        : base(nameof(Nf4Linear))
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
    public Nf4Weight Weight { get; }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    /// <summary>Quantizes <paramref name="linear"/>'s weight (its bias, if any, is kept as it is, frozen).</summary>
    public static Nf4Linear From(Linear linear, bool doubleQuantize = true)
    {
        ArgumentNullException.ThrowIfNull(linear);
        using var noGrad = no_grad();
        return new Nf4Linear(Nf4Weight.Quantize(linear.weight, doubleQuantize), linear.bias);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = Nf4MatMul.apply(input, Weight);
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
