using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

public class GaussNewtonBartlettTests
{
    [Fact]
    public void SquaredSampledGradientsAverageToTheGaussNewtonDiagonal()
    {
        // One target token, so B = 1 and the estimate is ĝ⊙ĝ with ŷ drawn from the model's softmax p. Its expectation is
        // Σ_y p_y ‖∇ℓ(y)‖² (summed over all coordinates), computed here exactly with one backward pass per label.
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama(), seed: 5);
        var batch = TrainingTestData.Batch(TrainingTestData.Example(3, 5, 9, 14, 20));
        var targets = LossTargets.From(batch);
        Assert.Equal(1, targets.Count);

        double[] probabilities;
        using (no_grad())
        {
            probabilities = CausalLmLoss.PredictorLogits(model, batch, targets).softmax(-1).to_type(ScalarType.Float64).data<double>().ToArray();
        }

        var perLabel = Enumerable.Range(0, probabilities.Length).Select(label => SquaredGradientNorm(model, () =>
        {
            var logits = CausalLmLoss.PredictorLogits(model, batch, targets);
            nn.functional.cross_entropy(logits, tensor(new long[] { label })).backward();
        })).ToArray();
        var exact = probabilities.Zip(perLabel, (p, squared) => p * squared).Sum();

        using var generator = new Generator(11, CPU);
        const int Draws = 200;
        var sampled = Enumerable.Range(0, Draws)
            .Select(_ => SquaredGradientNorm(model, () => GaussNewtonBartlett.AccumulateGradients(model, [(batch, targets)], 1, generator)))
            .Average();

        // The fixture tells the right distribution apart from wrong ones (uniform labels, or always the likeliest): both
        // miss the exact value by more than the tolerance below. 200 draws land within 14% of it here.
        var uniform = perLabel.Average();
        var likeliest = perLabel[Array.IndexOf(probabilities, probabilities.Max())];
        Assert.True(Math.Abs(uniform / exact - 1) > 0.5, $"uniform {uniform} vs exact {exact}");
        Assert.True(Math.Abs(likeliest / exact - 1) > 0.5, $"likeliest {likeliest} vs exact {exact}");
        Assert.True(sampled / exact is > 0.75 and < 1.3, $"sampled {sampled} vs exact {exact}");
    }

    /// <summary>Σ over every parameter of its gradient squared, after <paramref name="backward"/> from cleared gradients.</summary>
    private static double SquaredGradientNorm(CausalLanguageModel model, Action backward)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        backward();
        var total = model.parameters().Where(parameter => parameter.grad is not null).Sum(parameter => parameter.grad!.square().sum().item<float>());
        model.zero_grad();
        return total;
    }
}
