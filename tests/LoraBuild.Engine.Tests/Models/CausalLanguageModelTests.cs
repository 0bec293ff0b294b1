using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Models;

public class CausalLanguageModelTests
{
    private static readonly long[] s_sequence = [5, 17, 42, 3, 60, 11, 29, 8, 33, 50];

    [Fact]
    public void LogitsHaveBatchSequenceVocabShape()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());

        var logits = model.call(tensor(new long[] { 1, 2, 3, 4, 5, 6 }).reshape(2, 3));

        Assert.Equal([2L, 3, 64], logits.shape);
        Assert.Equal(ScalarType.Float32, logits.dtype);
    }

    [Fact]
    public void ChangingALaterTokenNeverChangesAnEarlierLogit()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        var changed = (long[])s_sequence.Clone();
        changed[6] = 1;

        var original = model.call(MicroModels.Ids(s_sequence));
        var altered = model.call(MicroModels.Ids(changed));

        Assert.True(original.narrow(1, 0, 6).eq(altered.narrow(1, 0, 6)).all().item<bool>());
        Assert.False(original.narrow(1, 6, 1).allclose(altered.narrow(1, 6, 1)));
    }

    [Fact]
    public void CachedDecodingEqualsAFullForward()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        using var noGrad = no_grad();
        var full = model.call(MicroModels.Ids(s_sequence));

        using var cache = model.CreateCache(1, s_sequence.Length);
        var pieces = new List<Tensor>
        {
            model.ForwardLogits(MicroModels.Ids(s_sequence[..5]), cache: cache),
            model.ForwardLogits(MicroModels.Ids(s_sequence[5..7]), cache: cache),
        };
        for (var i = 7; i < s_sequence.Length; i++)
        {
            pieces.Add(model.ForwardLogits(MicroModels.Ids(s_sequence[i]), cache: cache));
        }

        Assert.Equal(s_sequence.Length, cache.Length);
        TensorAssert.RelativelyClose(full, cat(pieces, 1), 1e-5);
    }

    [Fact]
    public void GroupedQueryAttentionEqualsExplicitlyRepeatedHeads()
    {
        using var scope = NewDisposeScope();
        using var grouped = MicroModels.Create(MicroModels.Llama(keyValueHeads: 2));
        using var expanded = CausalLanguageModel.Create(MicroModels.Llama(keyValueHeads: 4), ScalarType.Float32, CPU);

        // Query heads 0,1 read key/value head 0 and 2,3 read head 1: repeat each head's rows twice.
        var weights = MicroModels.StateDict(grouped);
        foreach (var name in weights.Keys.Where(n => n.EndsWith("k_proj.weight", StringComparison.Ordinal) || n.EndsWith("v_proj.weight", StringComparison.Ordinal)).ToList())
        {
            weights[name] = weights[name].reshape(2, 8, 32).repeat_interleave(2, dim: 0).reshape(32, 32);
        }

        expanded.LoadStateDict(weights);

        TensorAssert.RelativelyClose(grouped.call(MicroModels.Ids(s_sequence)), expanded.call(MicroModels.Ids(s_sequence)), 1e-5);
    }

    [Fact]
    public void TiedModelHasNoHeadAndProjectsWithTheEmbedding()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama(tied: true));
        var ids = MicroModels.Ids(s_sequence);

        var logits = model.call(ids);
        var hidden = model.ForwardHidden(ids);

        Assert.Null(model.LmHead);
        Assert.DoesNotContain(model.named_parameters(), pair => pair.name.StartsWith("lm_head", StringComparison.Ordinal));
        var byHand = matmul(hidden, model.Model.EmbedTokens.weight!.t());
        TensorAssert.RelativelyClose(byHand, logits, 1e-6);
    }

    [Fact]
    public void UntiedModelProjectsWithItsOwnHead()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama(tied: false));
        var ids = MicroModels.Ids(s_sequence);

        var logits = model.call(ids);
        var hidden = model.ForwardHidden(ids);

        TensorAssert.RelativelyClose(matmul(hidden, ((Linear)model.LmHead!).weight!.t()), logits, 1e-6);
        Assert.False(matmul(hidden, model.Model.EmbedTokens.weight!.t()).allclose(logits));
    }

    [Fact]
    public void Qwen2BiasesTakePartInAttention()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Qwen2());
        var ids = MicroModels.Ids(s_sequence);
        var withBias = model.call(ids);

        using (no_grad())
        {
            foreach (var (name, parameter) in model.named_parameters().Where(pair => pair.name.EndsWith(".bias", StringComparison.Ordinal)))
            {
                parameter.zero_();
            }
        }

        Assert.False(withBias.allclose(model.call(ids), rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void RightPaddingLeavesRealTokensUnchanged()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        var alone = model.call(MicroModels.Ids(s_sequence[..6]));

        var padded = tensor(s_sequence[..6].Concat([0L, 0L]).ToArray()).unsqueeze(0);
        var mask = tensor(new long[] { 1, 1, 1, 1, 1, 1, 0, 0 }).unsqueeze(0);
        var logits = model.ForwardLogits(padded, attentionMask: mask);

        TensorAssert.RelativelyClose(alone, logits.narrow(1, 0, 6), 1e-5);
    }

    [Fact]
    public void LeftPaddingWithShiftedPositionsLeavesRealTokensUnchanged()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        var alone = model.call(MicroModels.Ids(s_sequence[..4]));

        var batch = tensor(new long[] { 0, 0, 5, 17, 42, 3, 9, 9, 9, 9, 9, 9 }).reshape(2, 6);
        var mask = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }).reshape(2, 6);
        var positions = tensor(new long[] { 0, 0, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5 }).reshape(2, 6);
        var logits = model.ForwardLogits(batch, attentionMask: mask, positionIds: positions);

        Assert.False(logits.isnan().any().item<bool>());
        TensorAssert.RelativelyClose(alone, logits.narrow(0, 0, 1).narrow(1, 2, 4), 1e-5);
    }

    [Fact]
    public void MistralSlidingWindowSeesOnlyTheLastWindowOfTokens()
    {
        using var scope = NewDisposeScope();

        // With one layer, position 9 depends only on tokens 7..9 (and their positions) when the window is 3.
        using var model = MicroModels.Create(MicroModels.Mistral(slidingWindow: 3, layers: 1));
        var full = model.call(MicroModels.Ids(s_sequence));

        var lastWindow = model.ForwardLogits(MicroModels.Ids(s_sequence[7..]), positionIds: tensor(new long[] { 7, 8, 9 }).unsqueeze(0));

        TensorAssert.RelativelyClose(full.narrow(1, 9, 1), lastWindow.narrow(1, 2, 1), 1e-5);
        using var unwindowed = MicroModels.Create(MicroModels.Llama(layers: 1));
        unwindowed.LoadStateDict(MicroModels.StateDict(model));
        Assert.False(unwindowed.call(MicroModels.Ids(s_sequence)).narrow(1, 9, 1).allclose(full.narrow(1, 9, 1)));
    }

    [Fact]
    public void QwenSlidingWindowAppliesFromMaxWindowLayersOnAndCachedDecodingAgrees()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var windowed = MicroModels.Qwen2() with { SlidingWindow = 3, SlidingWindowFirstLayer = 1 };
        using var model = MicroModels.Create(windowed);
        var full = model.call(MicroModels.Ids(s_sequence));

        // Only layer 1 is windowed: the same weights with no windowed layer give other logits once the window is exceeded.
        using var unwindowed = MicroModels.Create(windowed with { SlidingWindowFirstLayer = 2 });
        unwindowed.LoadStateDict(MicroModels.StateDict(model));
        var whole = unwindowed.call(MicroModels.Ids(s_sequence));
        TensorAssert.RelativelyClose(whole.narrow(1, 0, 3), full.narrow(1, 0, 3), 1e-5);
        Assert.False(whole.narrow(1, 9, 1).allclose(full.narrow(1, 9, 1)));

        using var cache = model.CreateCache(1, s_sequence.Length);
        var pieces = new List<Tensor> { model.ForwardLogits(MicroModels.Ids(s_sequence[..4]), cache: cache) };
        for (var i = 4; i < s_sequence.Length; i++)
        {
            pieces.Add(model.ForwardLogits(MicroModels.Ids(s_sequence[i]), cache: cache));
        }

        TensorAssert.RelativelyClose(full, cat(pieces, 1), 1e-5);
    }

    [Fact]
    public void Qwen3QueryAndKeyNormsAreLoadedAndChangeTheOutput()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var qwen3 = MicroModels.Qwen2() with { Architecture = "Qwen3ForCausalLM", Family = ModelFamily.Qwen3, QkvBias = false, QueryKeyNorm = true };
        using var model = MicroModels.Create(qwen3);
        var names = model.named_parameters().Select(pair => pair.name).ToList();
        Assert.Contains("model.layers.0.self_attn.q_norm.weight", names);
        Assert.Contains("model.layers.1.self_attn.k_norm.weight", names);
        var before = model.call(MicroModels.Ids(s_sequence));

        model.Layers[0].SelfAttention.get_parameter("k_norm.weight")!.mul_(2);

        Assert.False(before.allclose(model.call(MicroModels.Ids(s_sequence))));
        Assert.Equal(Core.Models.ParameterCounts.For(qwen3).Total, model.parameters().Sum(parameter => parameter.numel()));
    }

    [Fact]
    public void ReplacedProjectionIsUsedAndRegisteredUnderItsName()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        var ids = MicroModels.Ids(s_sequence);
        var before = model.call(ids);

        var replaced = model.ReplaceLinearLayers((name, current) =>
            name.EndsWith("self_attn.v_proj", StringComparison.Ordinal) ? new DoublingWrapper(current) : null);

        Assert.Equal(2, replaced);
        var names = model.named_parameters().Select(pair => pair.name).ToList();
        Assert.Contains("model.layers.0.self_attn.v_proj.inner.weight", names);
        Assert.DoesNotContain("model.layers.0.self_attn.v_proj.weight", names);
        Assert.IsType<DoublingWrapper>(model.Layers[1].SelfAttention.VProj);
        Assert.False(before.allclose(model.call(ids)));

        model.ReplaceLinearLayers((_, current) => current is DoublingWrapper wrapper ? wrapper.Inner : null);

        Assert.True(before.eq(model.call(ids)).all().item<bool>());
        Assert.Contains("model.layers.0.self_attn.v_proj.weight", model.named_parameters().Select(pair => pair.name));
    }

    [Fact]
    public void OutOfVocabularyIdsAreRejected()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(() => model.call(MicroModels.Ids(3, 64)));

        Assert.Equal(ModelErrorCodes.ModelInputInvalid, error.Code);
        Assert.Contains("63", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FloatingPointIdsAreRejected()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());

        var error = Assert.Throws<LoraException>(() => model.call(ones(1, 3)));

        Assert.Equal(ModelErrorCodes.ModelInputInvalid, error.Code);
    }

    [Fact]
    public void BFloat16ModelRunsAndStaysCloseToFloat32()
    {
        using var scope = NewDisposeScope();
        using var model = MicroModels.Create(MicroModels.Llama());
        using var halfModel = CausalLanguageModel.Create(model.Config, ScalarType.BFloat16, CPU);
        halfModel.LoadStateDict(MicroModels.StateDict(model));

        var logits = halfModel.call(MicroModels.Ids(s_sequence));

        Assert.Equal(ScalarType.BFloat16, logits.dtype);
        TensorAssert.RelativelyClose(model.call(MicroModels.Ids(s_sequence)), logits, 0.1);

        using var cache = halfModel.CreateCache(1, s_sequence.Length);
        using var noGrad = no_grad();
        halfModel.ForwardLogits(MicroModels.Ids(s_sequence[..7]), cache: cache);
        var cached = halfModel.ForwardLogits(MicroModels.Ids(s_sequence[7..]), cache: cache);
        TensorAssert.RelativelyClose(logits.narrow(1, 7, 3), cached, 0.05);
    }

    private sealed class DoublingWrapper : nn.Module<Tensor, Tensor>
    {
        [TorchSharp.Utils.ComponentName(Name = "inner")]
        private readonly nn.Module<Tensor, Tensor> _inner;

        public DoublingWrapper(nn.Module<Tensor, Tensor> inner)
            : base(nameof(DoublingWrapper))
        {
            _inner = inner;
            RegisterComponents();
        }

        public nn.Module<Tensor, Tensor> Inner => _inner;

        public override Tensor forward(Tensor input) => _inner.call(input) * 2;
    }
}
