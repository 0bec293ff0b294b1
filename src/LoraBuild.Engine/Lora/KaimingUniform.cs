using static TorchSharp.torch;

namespace LoraBuild.Engine.Lora;

/// <summary>
/// The initialization <c>torch.nn.init.kaiming_uniform_(w, a=math.sqrt(5))</c> gives a [out, in] weight — what PEFT
/// uses for <c>lora_A</c> — drawn from a caller's generator, which TorchSharp's own <c>kaiming_uniform_</c> cannot take.
/// </summary>
public static class KaimingUniform
{
    /// <summary>The leaky-ReLU slope PyTorch's <c>nn.Linear</c> and PEFT's <c>lora_A</c> use: √5.</summary>
    public static readonly double LinearSlope = Math.Sqrt(5);

    /// <summary>
    /// The bound b of U(−b, b), computed in the same double-precision steps as PyTorch:
    /// gain = √(2 / (1 + a²)), std = gain / √fan_in, b = √3 · std. For a = √5 this is 1/√fan_in up to rounding.
    /// </summary>
    public static double Bound(long fanIn, double slope)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fanIn);
        var gain = Math.Sqrt(2.0 / (1 + (slope * slope)));
        var std = gain / Math.Sqrt(fanIn);
        return Math.Sqrt(3.0) * std;
    }

    /// <summary>
    /// Fills <paramref name="weight"/> ([out, in], fan-in = in) in place with one <c>uniform_</c> draw of out·in values
    /// from <paramref name="generator"/>, in row-major order.
    /// </summary>
    public static void Fill(Tensor weight, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(generator);
        if (weight.dim() != 2)
        {
            throw new ArgumentException($"Expected a 2-D weight, not one shaped [{string.Join(", ", weight.shape)}].", nameof(weight));
        }

        var bound = Bound(weight.shape[1], LinearSlope);
        using var noGrad = no_grad();
        weight.uniform_(-bound, bound, generator);
    }
}
