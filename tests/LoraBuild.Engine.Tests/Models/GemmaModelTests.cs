using LoraBuild.Core.Adapters;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Models.Gemma;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

/// <summary>Gemma 2 and 3's pieces in the engine, each against the formula transformers computes.</summary>
public class GemmaModelTests
{
    private const string Gemma2 = """
        {"architectures": ["Gemma2ForCausalLM"], "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "vocab_size": 64, "rms_norm_eps": 1e-6,
         "max_position_embeddings": 128, "query_pre_attn_scalar": 24, "attn_logit_softcapping": 2.0, "final_logit_softcapping": 3.0,
         "sliding_window": 3, "tie_word_embeddings": false}
        """;

    private const string Gemma3 = """
        {"architectures": ["Gemma3ForCausalLM"], "hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 3,
         "num_attention_heads": 4, "num_key_value_heads": 1, "head_dim": 8, "vocab_size": 64, "rms_norm_eps": 1e-6,
         "max_position_embeddings": 128, "query_pre_attn_scalar": 8, "sliding_window": 3, "sliding_window_pattern": 3,
         "rope_scaling": {"rope_type": "linear", "factor": 4.0}}
        """;

    [Fact]
    public void AUnitOffsetNormScalesByOnePlusItsWeightInFloat32AndCastsLast()
    {
        using var scope = NewDisposeScope();
        using var norm = new RmsNorm(4, 1e-6, ScalarType.BFloat16, CPU, unitOffset: true);
        using (no_grad())
        {
            norm.Weight.copy_(tensor(new[] { -0.5f, 0f, 0.25f, 2f }));
        }

        var input = tensor(new[] { 1f, -2f, 3f, 0.5f }).to_type(ScalarType.BFloat16);
        var x = input.to_type(ScalarType.Float32);
        var expected = (x * rsqrt(x.pow(2).mean([-1], keepdim: true) + 1e-6) * (tensor(new[] { -0.5f, 0f, 0.25f, 2f }) + 1)).to_type(ScalarType.BFloat16);

        var actual = norm.call(input);

        Assert.Equal(ScalarType.BFloat16, actual.dtype);
        Assert.True(actual.to_type(ScalarType.Float32).allclose(expected.to_type(ScalarType.Float32), rtol: 0, atol: 0));
    }

    [Fact]
    public void SoftCappingIsCapTimesTanhOfTheScaledValue()
    {
        using var scope = NewDisposeScope();
        var values = tensor(new[] { -100f, -1f, 0f, 0.5f, 30f });

        TensorAssert.Equal([.. new[] { -100.0, -1, 0, 0.5, 30 }.Select(v => 5 * Math.Tanh(v / 5))], SoftCapping.Apply(values, 5), 1e-6);
    }

    [Fact]
    public void EagerAttentionWithoutCappingIsTheFusedKernel()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7, CPU);
        var q = randn([1, 2, 5, 8], generator: generator);
        var k = randn([1, 2, 5, 8], generator: generator);
        var v = randn([1, 2, 5, 8], generator: generator);

        var fused = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        var eager = EagerAttention.Attend(q, k, v, mask: null, isCausal: true, scale: 1 / Math.Sqrt(8), softCap: null);

        Assert.True(eager.allclose(fused, rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData(Gemma2)]
    [InlineData(Gemma3)]
    public void TheDescriptorCountsEveryTensorOfTheModel(string json)
    {
        var config = ModelConfig.Parse(json);
        using var model = CausalLanguageModel.Create(config, ScalarType.Float32, CPU);

        Assert.Equal(ParameterCounts.For(config).Total, model.parameters().Sum(parameter => parameter.numel()));
        Assert.Contains(model.named_parameters(), pair => pair.name == "model.layers.1.post_feedforward_layernorm.weight");
    }

    [Fact]
    public void Gemma3SlidingLayersRotateWithTheLocalBaseAndOnlyGlobalLayersAreScaled()
    {
        using var scope = NewDisposeScope();
        var config = ModelConfig.Parse(Gemma3);
        using var model = MicroModels.Create(config, seed: 3);
        using var unscaled = MicroModels.Create(config with { RopeScaling = null }, seed: 3);
        var ids = MicroModels.Ids(1, 5, 9, 2, 7, 3, 11, 4);

        using var noGrad = no_grad();
        var scaled = model.ForwardLogits(ids);
        var plain = unscaled.ForwardLogits(ids);

        // Only layer 2 is global: scaling its rotation changes the logits, and sliding layers 0 and 1 ignore the scaling.
        Assert.False(scaled.allclose(plain, rtol: 1e-4, atol: 1e-5));
        Assert.Equal([true, true, false], Enumerable.Range(0, 3).Select(config.IsSlidingLayer));
    }

    [Fact]
    public void CachedDecodingAgreesWithAFullForwardAcrossSlidingAndGlobalLayers()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(ModelConfig.Parse(Gemma2), seed: 5);
        using var noGrad = no_grad();
        var ids = MicroModels.Ids(3, 1, 4, 1, 5, 9, 2, 6);
        var full = model.ForwardLogits(ids);

        var stepped = MicroModels.SteppedLogits(model, ids, prefix: 5);

        Assert.True(stepped.allclose(full.narrow(1, 5, 3), rtol: 1e-4, atol: 1e-5));
        Assert.True(full.abs().max().item<float>() < 3f); // final soft-capping bounds the logits
    }

    [Theory]
    [InlineData(Gemma2)]
    [InlineData(Gemma3)]
    public void AllLinearLoraFindsTheSevenProjectionsAndAFewStepsLowerTheLoss(string json)
    {
        using var scope = NewDisposeScope();
        var config = ModelConfig.Parse(json);
        using var model = MicroModels.Create(config, seed: 2);
        using var init = new Generator(11, CPU);
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Targets = AdapterTargets.ParseSpec("all-linear"), Dropout = 0 };
        var adapter = LoraInjector.Apply(model, settings, init, dropoutGenerator: null);

        Assert.Equal(7 * config.NumHiddenLayers, adapter.Layers.Count);
        var trainable = model.parameters().Where(parameter => parameter.requires_grad).ToList();
        using var optimizer = optim.Adam(trainable, lr: 1e-2);
        var ids = MicroModels.Ids(1, 8, 3, 9, 4, 12, 5, 7, 6, 2);
        var losses = new List<float>();
        for (var step = 0; step < 6; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.ForwardLogits(ids.narrow(1, 0, 9));
            var loss = nn.functional.cross_entropy(logits.reshape(-1, config.VocabSize), ids.narrow(1, 1, 9).reshape(-1));
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
        }

        Assert.True(losses[^1] < losses[0], $"losses {string.Join(", ", losses)}");
    }
}
