using LoraBuild.Core.Adapters;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Quantization;
using LoraBuild.Engine.Tests.Lora;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Training;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Training;

/// <summary>
/// LoRA gradients on a bf16 or NF4 base, with and without activation checkpointing, compared with the plain fp32
/// reference on the micro model: same LoRA initialization (every projection, r 4, random B), same batch, no dropout.
/// Each gradient is compared by cosine similarity and by relative error ‖g − g_ref‖ / ‖g_ref‖, per LoRA tensor and over
/// all of them together.
/// </summary>
/// <remarks>
/// The thresholds are the values measured here (fixed seeds, so they repeat) with room for another thread count:
/// <list type="bullet">
/// <item>bf16: worst tensor cosine 0.99906 and relative error 0.047; all together 0.99935 and 0.036; loss 76.83 vs 77.11
/// (0.4%). bf16 rounds every activation to 8 significant bits (2⁻⁹ ≈ 0.2% each time), and this random model amplifies
/// perturbations about fivefold on their way into the gradients (next item).</item>
/// <item>NF4 against fp32 on the original weights: the 4-bit weights differ from the originals by 8.6–9.5% (relative
/// Frobenius error, measured per projection), which moves the gradients a lot in a random two-layer model: worst tensor
/// cosine 0.726 and relative error 0.72, all together 0.863 and 0.52. Gaussian noise of the same 9% on the same weights
/// moves them further (all together cosine 0.77, relative error 0.69), so this is the quantization error and not the
/// NF4 path. For contrast, a base drawn from another seed gives cosine −0.05 and relative error 1.25.</item>
/// <item>NF4 against fp32 on the dequantized weights: bitwise equal, loss included. The NF4 path computes exactly the
/// gradients of the weights it stores.</item>
/// <item>Activation checkpointing changes none of these numbers: its gradients are bitwise those of the same precision
/// without it (<see cref="ActivationCheckpointingTests"/>).</item>
/// </list>
/// </remarks>
public class ReducedPrecisionGradientTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ABFloat16BaseGivesTheFloat32LossAndLoraGradientsWithinRounding(bool checkpointing)
    {
        using var scope = NewDisposeScope();
        var config = MicroModels.Llama();
        using var fp32 = MicroModels.Create(config, seed: 3);
        using (no_grad())
        {
            // Both models hold exactly the same (bf16-representable) base weights.
            foreach (var (_, parameter) in fp32.named_parameters())
            {
                parameter.copy_(parameter.to_type(ScalarType.BFloat16).to_type(ScalarType.Float32));
            }
        }

        using var bf16 = CausalLanguageModel.Create(config, ScalarType.BFloat16, CPU);
        bf16.LoadStateDict(MicroModels.StateDict(fp32));

        var reference = LossAndLoraGradients(fp32, checkpointing: false);
        var actual = LossAndLoraGradients(bf16, checkpointing);

        Assert.Equal(reference.Loss, actual.Loss, reference.Loss * 0.01);
        Assert.All(actual.Gradients.Values, gradient => Assert.Equal(ScalarType.Float32, gradient.dtype));
        AssertClose(reference, actual, new Tolerance(TensorCosine: 0.998, TensorRelativeError: 0.08, Cosine: 0.999, RelativeError: 0.05));
    }

    [Theory]
    [InlineData("nf4", false)]
    [InlineData("nf4", true)]
    [InlineData("fp4", false)]
    [InlineData("fp4", true)]
    [InlineData("int8", false)]
    [InlineData("int8", true)]
    public void AQuantizedBaseGivesExactlyTheFloat32GradientsOfItsDequantizedWeights(string quantization, bool checkpointing)
    {
        using var scope = NewDisposeScope();
        using var nf4 = MicroModels.Create(MicroModels.Llama(), seed: 3);
        ModelQuantizer.QuantizeDecoderLinearLayers(nf4, quantization);
        using var dequantized = MicroModels.Create(MicroModels.Llama(), seed: 3);
        CopyDequantizedWeights(nf4, dequantized);

        var reference = LossAndLoraGradients(dequantized, checkpointing: false);
        var actual = LossAndLoraGradients(nf4, checkpointing);

        Assert.Equal(reference.Loss, actual.Loss);
        Assert.Equal(reference.Gradients.Keys.Order(), actual.Gradients.Keys.Order());
        Assert.All(reference.Gradients, pair => Assert.True(TrainingTestData.BitwiseEqual(pair.Value, actual.Gradients[pair.Key]), pair.Key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnNf4BaseGivesLoraGradientsPointingWhereTheFloat32OnesPoint(bool checkpointing)
    {
        using var scope = NewDisposeScope();
        using var fp32 = MicroModels.Create(MicroModels.Llama(), seed: 3);
        using var nf4 = MicroModels.Create(MicroModels.Llama(), seed: 3);
        ModelQuantizer.QuantizeDecoderLinearLayers(nf4);
        using var unrelated = MicroModels.Create(MicroModels.Llama(), seed: 5);
        var tolerance = new Tolerance(TensorCosine: 0.6, TensorRelativeError: 0.9, Cosine: 0.8, RelativeError: 0.65);

        var reference = LossAndLoraGradients(fp32, checkpointing: false);
        var actual = LossAndLoraGradients(nf4, checkpointing);

        AssertClose(reference, actual, tolerance);
        // The thresholds tell related gradients from unrelated ones.
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertClose(reference, LossAndLoraGradients(unrelated, checkpointing: false), tolerance));
    }

    private void AssertClose(LossAndGradients reference, LossAndGradients actual, Tolerance tolerance)
    {
        Assert.Equal(2 * 7 * 2, reference.Gradients.Count); // two layers, seven projections, A and B
        Assert.Equal(reference.Gradients.Keys.Order(), actual.Gradients.Keys.Order());
        output.WriteLine($"loss {reference.Loss} vs {actual.Loss}");
        foreach (var (name, expected) in reference.Gradients)
        {
            var (cosine, relativeError) = Compare(actual.Gradients[name], expected);
            output.WriteLine($"{name}: cosine {cosine:F6}, relative error {relativeError:F4}");
            Assert.True(cosine >= tolerance.TensorCosine, $"'{name}': cosine similarity {cosine}.");
            Assert.True(relativeError <= tolerance.TensorRelativeError, $"'{name}': relative error {relativeError}.");
        }

        using var scope = NewDisposeScope();
        var names = reference.Gradients.Keys.Order(StringComparer.Ordinal).ToList();
        var (allCosine, allError) = Compare(
            cat([.. names.Select(name => actual.Gradients[name].flatten())]),
            cat([.. names.Select(name => reference.Gradients[name].flatten())]));
        output.WriteLine($"all together: cosine {allCosine:F6}, relative error {allError:F4}");
        Assert.True(allCosine >= tolerance.Cosine, $"All gradients together: cosine similarity {allCosine}.");
        Assert.True(allError <= tolerance.RelativeError, $"All gradients together: relative error {allError}.");
    }

    private static (double Cosine, double RelativeError) Compare(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        var a = actual.to_type(ScalarType.Float64).flatten();
        var e = expected.to_type(ScalarType.Float64).flatten();
        var cosine = a.dot(e).item<double>() / (a.norm().item<double>() * e.norm().item<double>());
        var relativeError = (a - e).norm().item<double>() / e.norm().item<double>();
        return (cosine, relativeError);
    }

    /// <summary>Puts every quantized layer's dequantized weight into the same projection of a float32 model.</summary>
    private static void CopyDequantizedWeights(CausalLanguageModel quantized, CausalLanguageModel target)
    {
        var weights = new Dictionary<string, IQuantizedWeight>(StringComparer.Ordinal);
        quantized.ReplaceLinearLayers((name, module) =>
        {
            if (module is QuantizedLinear nf4)
            {
                weights[name] = nf4.Weight;
            }

            return null;
        });
        Assert.Equal(14, weights.Count);

        using var noGrad = no_grad();
        target.ReplaceLinearLayers((name, module) =>
        {
            if (weights.TryGetValue(name, out var weight))
            {
                using var values = weight.Dequantize(ScalarType.Float32);
                ((Linear)module).weight.copy_(values);
            }

            return null;
        });
    }

    /// <summary>The summed loss over the test batch and every LoRA gradient, with LoRA on every projection and a random B.</summary>
    private static LossAndGradients LossAndLoraGradients(CausalLanguageModel model, bool checkpointing)
    {
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Dropout = 0, Targets = AdapterTargets.ParseSpec("all-linear", "test") };
        using var init = new Generator(11, CPU);
        var adapter = LoraInjector.Apply(model, settings, init, null);
        foreach (var (entry, index) in adapter.Layers.Select((entry, index) => (entry, index)))
        {
            // Non-zero B, so that A has a gradient too.
            LoraTestLayers.RandomizeB(entry.Layer, seed: 300 + index);
        }

        model.ActivationCheckpointing = checkpointing;
        var batch = TrainingTestData.Batch(TrainingTestData.FourExamples());
        var loss = CausalLmLoss.Sum(model, batch, LossTargets.From(batch));
        loss.backward();
        var gradients = model.named_parameters()
            .Where(pair => pair.parameter.requires_grad)
            .ToDictionary(pair => pair.name, pair => pair.parameter.grad!.clone());
        return new LossAndGradients(loss.item<float>(), gradients);
    }

    private sealed record LossAndGradients(float Loss, Dictionary<string, Tensor> Gradients);

    /// <summary>Lowest cosine and highest relative error allowed per LoRA tensor, and over all of them together.</summary>
    private sealed record Tolerance(double TensorCosine, double TensorRelativeError, double Cosine, double RelativeError);
}
