using LoraBuild.Engine.Lora;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Lora;

/// <summary>Autograd gradients of a float64 LoRA layer against central finite differences.</summary>
public class LoraLinearGradientTests
{
    private const double Step = 1e-6;
    private const double Tolerance = 1e-6;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GradientsWithRespectToAAndBAndTheInputMatchFiniteDifferences(bool useRslora)
    {
        using var layer = LoraTestLayers.Lora(LoraTestLayers.Linear(5, 4, seed: 1, ScalarType.Float64), rank: 3, alpha: 5, useRslora: useRslora, loraDType: ScalarType.Float64);
        LoraTestLayers.RandomizeB(layer, seed: 4);
        using var input = LoraTestLayers.Input(3, ScalarType.Float64, 2, 5);
        using var weights = LoraTestLayers.Input(8, ScalarType.Float64, 2, 4);
        input.requires_grad = true;

        using (var loss = Loss(layer, input, weights))
        {
            loss.backward();
        }

        AssertMatches(layer.LoraA.weight.grad!, layer.LoraA.weight, () => Loss(layer, input, weights));
        AssertMatches(layer.LoraB.weight.grad!, layer.LoraB.weight, () => Loss(layer, input, weights));
        AssertMatches(input.grad!, input, () => Loss(layer, input, weights));
        Assert.Null(layer.BaseLinear().weight.grad);
        Assert.Null(layer.BaseLinear().bias!.grad);
    }

    /// <summary>A scalar that depends on every output element with a different weight.</summary>
    private static Tensor Loss(LoraLinear layer, Tensor input, Tensor weights)
    {
        using var output = layer.call(input);
        return output.mul(weights).sum();
    }

    private static void AssertMatches(Tensor analytic, Tensor variable, Func<Tensor> loss)
    {
        using var numeric = zeros_like(variable);
        using var noGrad = no_grad();
        using var flat = variable.view(-1);
        using var numericFlat = numeric.view(-1);
        for (long i = 0; i < flat.shape[0]; i++)
        {
            var original = flat[i].item<double>();
            flat[i] = original + Step;
            var plus = Evaluate(loss);
            flat[i] = original - Step;
            var minus = Evaluate(loss);
            flat[i] = original;
            numericFlat[i] = (plus - minus) / (2 * Step);
        }

        var error = LoraTestLayers.RelativeError(analytic, numeric);
        Assert.True(error < Tolerance, $"Relative gradient error {error:E2} exceeds {Tolerance:E0}.");
    }

    private static double Evaluate(Func<Tensor> loss)
    {
        using var value = loss();
        return value.item<double>();
    }
}
