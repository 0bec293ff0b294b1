using LoraBuild.Core.Models;
using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

/// <summary>Tiny Llama-shaped models (2 layers, width 32, 4 heads, 2 key/value heads, vocab 64) for fast tests.</summary>
internal static class MicroModels
{
    public static ModelConfig Llama(
        int keyValueHeads = 2, bool tied = false, int layers = 2, int? slidingWindow = null, RopeScaling? ropeScaling = null) => new()
    {
        Architecture = "LlamaForCausalLM",
        Family = ModelFamily.Llama,
        ModelType = "llama",
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = layers,
        NumAttentionHeads = 4,
        NumKeyValueHeads = keyValueHeads,
        HeadDim = 8,
        VocabSize = 64,
        RmsNormEps = 1e-6,
        RopeTheta = 10000,
        RopeScaling = ropeScaling,
        MaxPositionEmbeddings = 128,
        TieWordEmbeddings = tied,
        SlidingWindow = slidingWindow,
        EosTokenIds = [2],
        BosTokenId = 1,
    };

    public static ModelConfig Mistral(int slidingWindow, int layers) =>
        Llama(layers: layers, slidingWindow: slidingWindow) with { Architecture = "MistralForCausalLM", Family = ModelFamily.Mistral };

    public static ModelConfig Qwen2(bool tied = true) =>
        Llama(tied: tied) with
        {
            Architecture = "Qwen2ForCausalLM",
            Family = ModelFamily.Qwen2,
            ModelType = "qwen2",
            QkvBias = true,
            OutputProjectionBias = false,
        };

    /// <summary>A float32 CPU model whose every weight is drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public static CausalLanguageModel Create(ModelConfig config, long seed = 1, ScalarType dtype = ScalarType.Float32)
    {
        var model = CausalLanguageModel.Create(config, dtype, CPU);
        Randomize(model, seed);
        return model;
    }

    /// <summary>
    /// Fills weights with small random values and norm scales with values around one (Gemma's stored 1 + w weights
    /// around zero), so that a wrong index, a missing bias or a skipped norm weight shows in the logits.
    /// </summary>
    public static void Randomize(CausalLanguageModel model, long seed)
    {
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal) || name.EndsWith("layernorm.weight", StringComparison.Ordinal))
            {
                var offset = model.Config.Descriptor.UnitOffsetNorms ? 1.0 : 0.0;
                parameter.uniform_(0.5 - offset, 1.5 - offset, generator);
            }
            else
            {
                parameter.normal_(0, name.Contains("embed_tokens", StringComparison.Ordinal) ? 1.0 : 0.2, generator);
            }
        }
    }

    /// <summary>
    /// Logits for the positions of <paramref name="ids"/> [1, seq] from <paramref name="prefix"/> on, decoded one token at a
    /// time through a KV cache after the prefix in one call: to compare with the same positions of a full forward.
    /// </summary>
    public static Tensor SteppedLogits(CausalLanguageModel model, Tensor ids, int prefix)
    {
        var length = (int)ids.shape[1];
        using var cache = model.CreateCache(1, length + 8);
        using (model.ForwardLogits(ids.narrow(1, 0, prefix), cache: cache))
        {
        }

        var stepped = new List<Tensor>();
        for (var position = prefix; position < length; position++)
        {
            stepped.Add(model.ForwardLogits(ids.narrow(1, position, 1), cache: cache));
        }

        return cat(stepped, 1);
    }

    public static Tensor Ids(params long[] ids) => tensor(ids, dtype: ScalarType.Int64).unsqueeze(0);

    /// <summary>A copy of every parameter, by name.</summary>
    public static Dictionary<string, Tensor> StateDict(CausalLanguageModel model) =>
        model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter.detach().clone());
}
