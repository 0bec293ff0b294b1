using LoraBuild.Core.Adapters;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tests.Models;
using LoraBuild.Engine.Tests.Training;
using LoraBuild.Engine.Training;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Benchmarks;

/// <summary>The bf16 path the benchmark times computes what the fp32 path computes, to within bf16 rounding.</summary>
public class Bf16TrainingStepTests
{
    [Fact]
    public void ABFloat16BaseGivesTheFloat32LossAndLoraGradientsWithinRounding()
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

        var batch = TrainingTestData.Batch(TrainingTestData.FourExamples());
        var targets = LossTargets.From(batch);
        var (fp32Loss, fp32Gradients) = LossAndLoraGradients(fp32, batch, targets);
        var (bf16Loss, bf16Gradients) = LossAndLoraGradients(bf16, batch, targets);

        Assert.Equal(fp32Loss, bf16Loss, fp32Loss * 0.02);
        Assert.Equal(2 * 3 * 2, fp32Gradients.Count); // two layers, three targets, A and B
        foreach (var (name, expected) in fp32Gradients)
        {
            var actual = bf16Gradients[name];
            Assert.Equal(ScalarType.Float32, actual.dtype);
            var relativeError = (actual - expected).norm().item<float>() / expected.norm().item<float>();
            Assert.True(relativeError < 0.05, $"'{name}': relative error {relativeError}.");
        }
    }

    private static (float Loss, Dictionary<string, Tensor> Gradients) LossAndLoraGradients(
        CausalLanguageModel model, Core.Data.PaddedBatch batch, LossTargets targets)
    {
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Targets = AdapterTargets.ParseSpec("q_proj,v_proj,down_proj", "test") };
        using var init = new Generator(11, CPU);
        var adapter = LoraInjector.Apply(model, settings, init, null);
        using var draws = new Generator(12, CPU);
        using (no_grad())
        {
            // Non-zero B, so that A has a gradient too.
            foreach (var layer in adapter.Layers)
            {
                layer.Layer.LoraB.weight.copy_(randn(layer.Layer.LoraB.weight.shape, generator: draws) * 0.1);
            }
        }

        var loss = CausalLmLoss.Sum(model, batch, targets);
        loss.backward();
        var gradients = model.named_parameters()
            .Where(pair => pair.parameter.requires_grad)
            .ToDictionary(pair => pair.name, pair => pair.parameter.grad!.clone());
        return (loss.item<float>(), gradients);
    }
}
