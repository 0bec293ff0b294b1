using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>
/// <c>input · Wᵀ</c> for a quantized weight as an autograd function: the dequantized weight is a temporary of each pass, not
/// a tensor autograd saves, and the frozen weight gets no gradient.
/// </summary>
internal sealed class QuantizedMatMul : autograd.SingleTensorFunction<QuantizedMatMul>
{
    private const string WeightKey = "quantized_weight";

    public override string Name => nameof(QuantizedMatMul);

    /// <param name="ctx">The autograd context.</param>
    /// <param name="vars">The input tensor [..., in] and the <see cref="IQuantizedWeight"/> [out, in].</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var input = (Tensor)vars[0];
        var weight = (IQuantizedWeight)vars[1];
        ctx.save_data(WeightKey, weight);
        using var dequantized = weight.Dequantize(input.dtype);
        return nn.functional.linear(input, dequantized);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var weight = (IQuantizedWeight)ctx.get_data(WeightKey);
        using var dequantized = weight.Dequantize(grad_output.dtype);
        // One entry per forward argument; the weight is no tensor and gets no gradient.
        return [grad_output.matmul(dequantized), null!];
    }
}
