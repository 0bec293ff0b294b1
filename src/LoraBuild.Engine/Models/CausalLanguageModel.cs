using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// A Llama-family causal language model (Llama, Mistral, Qwen, Gemma, Phi-3) whose parameter names are exactly Hugging Face's,
/// so a checkpoint's state dict loads unchanged: <c>model.embed_tokens.weight</c>,
/// <c>model.layers.{i}.self_attn.q_proj.weight</c>, …, <c>model.norm.weight</c>, and <c>lm_head.weight</c> unless
/// the embeddings are tied, in which case the output head reuses <c>model.embed_tokens.weight</c>.
/// </summary>
/// <remarks>
/// To put LoRA (or any other) wrappers on the linear projections, call <see cref="ReplaceLinearLayers"/> or set
/// <see cref="LlamaAttention.QProj"/> and its siblings directly; the replacement is registered under the original
/// name, so its own parameters appear beneath it (e.g. <c>…q_proj.lora_A.weight</c>).
/// </remarks>
public sealed class CausalLanguageModel : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "model")]
    private LlamaModel _model;

    [ComponentName(Name = "lm_head")]
    private nn.Module<Tensor, Tensor>? _lmHead;

    private readonly float[] _inverseFrequencies;

    // Gemma 3's sliding layers rotate with their own base; null when every layer shares _inverseFrequencies.
    private readonly float[]? _slidingInverseFrequencies;

    private CausalLanguageModel(ModelConfig config, ScalarType dtype, Device device)
        : base(nameof(CausalLanguageModel))
    {
        Config = config;
        _model = new LlamaModel(config, dtype, device);
        _lmHead = config.TieWordEmbeddings ? null : nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device, dtype);
        _inverseFrequencies = [.. RotaryFrequencies.InverseFrequencies(config).Select(frequency => (float)frequency)];
        if (config.LocalRopeTheta is { } localTheta)
        {
            _slidingInverseFrequencies = [.. RotaryFrequencies.InverseFrequencies(config.HeadDim, localTheta).Select(frequency => (float)frequency)];
        }

        RegisterComponents();
    }

    /// <summary>The configuration the model was built from.</summary>
    public ModelConfig Config { get; }

    /// <summary>The decoder stack, registered as <c>model</c>.</summary>
    public LlamaModel Model => _model;

    /// <summary>The decoder layers.</summary>
    public IReadOnlyList<LlamaDecoderLayer> Layers => _model.Layers;

    /// <inheritdoc cref="LlamaModel.ActivationCheckpointing"/>
    public bool ActivationCheckpointing
    {
        get => _model.ActivationCheckpointing;
        set => _model.ActivationCheckpointing = value;
    }

    /// <summary>
    /// The output head, <c>lm_head</c>; null when it is tied to the embedding. Setting it (for example to a LoRA wrapper
    /// around the original <c>Linear</c>) re-registers the new module under that name; a tied head cannot be set.
    /// </summary>
    public nn.Module<Tensor, Tensor>? LmHead
    {
        get => _lmHead;
        set
        {
            if (_lmHead is null)
            {
                throw new InvalidOperationException("The output head is tied to the embeddings; there is no lm_head module to replace.");
            }

            _lmHead = SubmoduleSlot.Replace(this, "lm_head", value!);
        }
    }

    // Read from the final norm's weight: it is a field of ours, so reading it creates no new tensor handle.

    /// <summary>The element type of the weights (the model's dtype).</summary>
    public ScalarType DType => _model.Norm.Weight.dtype;

    /// <summary>The device the weights live on.</summary>
    public Device Device => _model.Norm.Weight.device;

    /// <summary>Builds a model for <paramref name="config"/> with freshly initialized weights of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public static CausalLanguageModel Create(ModelConfig config, ScalarType dtype, Device device)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(device);
        return new CausalLanguageModel(config, dtype, device);
    }

    /// <summary>Logits [batch, seq, vocab] for <paramref name="input"/> token ids [batch, seq], with a causal mask and no cache.</summary>
    public override Tensor forward(Tensor input) => ForwardLogits(input);

    /// <summary>Logits [batch, seq, vocab] for <paramref name="inputIds"/> [batch, seq].</summary>
    /// <param name="inputIds">Token ids, integers.</param>
    /// <param name="attentionMask">[batch, cached + seq], 1 for real tokens and 0 for padding (left or right); null when nothing is padded.</param>
    /// <param name="cache">Keys and values of earlier positions; the new ones are appended to it. Null for a plain forward.</param>
    /// <param name="positionIds">[batch, seq] positions; by default <c>cache.Length + 0 .. seq − 1</c>.</param>
    public Tensor ForwardLogits(Tensor inputIds, Tensor? attentionMask = null, KeyValueCache? cache = null, Tensor? positionIds = null)
    {
        using var scope = NewDisposeScope();
        var hidden = ForwardHidden(inputIds, attentionMask, cache, positionIds);
        return ComputeLogits(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>The final-norm hidden states [batch, seq, hidden]; <see cref="ComputeLogits"/> turns them into logits.</summary>
    public Tensor ForwardHidden(Tensor inputIds, Tensor? attentionMask = null, KeyValueCache? cache = null, Tensor? positionIds = null)
    {
        ValidateInput(inputIds, attentionMask, cache);
        using var scope = NewDisposeScope();
        var batch = inputIds.shape[0];
        var length = inputIds.shape[1];
        var past = cache?.Length ?? 0;
        var device = Device;

        var ids = inputIds.to(device).to_type(ScalarType.Int64);
        using var firstPosition = past.ToScalar();
        using var endPosition = (past + length).ToScalar();
        var positions = positionIds?.to(device)
            ?? arange(firstPosition, endPosition, LiveScalars.One, dtype: ScalarType.Int64, device: device).unsqueeze(0).expand(batch, length);
        var (cos, sin) = RotaryEmbedding.CosSin(positions, _inverseFrequencies, DType);
        var (mask, isCausal) = AttentionMasks.For(length, past, attentionMask, slidingWindow: null, device);
        var context = new AttentionContext(cos, sin, mask, isCausal, cache);
        if (Config.SlidingWindow is { } window && Enumerable.Range(0, Config.NumHiddenLayers).Any(Config.IsSlidingLayer))
        {
            context = context with
            {
                SlidingMask = AttentionMasks.For(length, past, attentionMask, window, device),
                SlidingFirstLayer = Config.SlidingWindowFirstLayer,
                SlidingLayers = Config.SlidingLayers,
                SlidingRotary = _slidingInverseFrequencies is null ? null : RotaryEmbedding.CosSin(positions, _slidingInverseFrequencies, DType),
            };
        }

        var hidden = _model.Forward(ids, context);
        cache?.Advance(length);
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Projects hidden states [..., hidden] onto the vocabulary with <c>lm_head</c> or the tied embedding, soft-capped when
    /// the config asks (Gemma's <c>final_logit_softcapping</c>).
    /// </summary>
    public Tensor ComputeLogits(Tensor hidden)
    {
        var logits = _lmHead is not null ? _lmHead.call(hidden) : nn.functional.linear(hidden, EmbeddingWeight);
        return Config.FinalLogitSoftCapping is { } cap ? Gemma.SoftCapping.Apply(logits, cap) : logits;
    }

    // Embedding.weight makes a new handle on every read; the registered parameter is the same tensor without one.
    private Parameter EmbeddingWeight => _model.EmbedTokens.get_parameter("weight")!;

    /// <summary>A cache for <paramref name="batchSize"/> sequences of up to <paramref name="capacity"/> positions, in the model's dtype and device.</summary>
    public KeyValueCache CreateCache(int batchSize, int capacity) =>
        new(Config.NumHiddenLayers, batchSize, Config.NumKeyValueHeads, capacity, Config.HeadDim, DType, Device);

    /// <summary>
    /// Copies a checkpoint's tensors into the model, converting them to the model's dtype and device.
    /// Every weight must be present with the right shape, and nothing else may be there, apart from the
    /// <c>rotary_emb.inv_freq</c> buffers older checkpoints carry and an <c>lm_head.weight</c> beside tied embeddings.
    /// </summary>
    /// <param name="weights">Tensors by Hugging Face name.</param>
    /// <param name="source">The checkpoint file or folder, named in errors.</param>
    /// <exception cref="LoraException">A weight is missing, has the wrong shape, or is not part of the model.</exception>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> weights, string? source = null) =>
        StateDictLoader.Load(this, weights, source, adoptStorage: false);

    /// <summary>
    /// Like <see cref="LoadStateDict"/>, but a parameter whose tensor already has its dtype and device takes that
    /// tensor's storage instead of a copy (a view of a memory-mapped checkpoint stays one); the tensors must not be used
    /// for anything else afterwards.
    /// </summary>
    public void AdoptStateDict(IReadOnlyDictionary<string, Tensor> weights, string? source = null) =>
        StateDictLoader.Load(this, weights, source, adoptStorage: true);

    /// <summary>
    /// Offers every projection of every decoder layer (Phi-3's fused <c>qkv_proj</c> and <c>gate_up_proj</c> whole), then the
    /// output head unless it is tied, to
    /// <paramref name="replace"/> with its full Hugging Face name (e.g. <c>model.layers.0.self_attn.q_proj</c>,
    /// <c>lm_head</c>) and current module; a non-null result takes its place, registered under the same name.
    /// </summary>
    /// <returns>How many projections were replaced.</returns>
    public int ReplaceLinearLayers(Func<string, nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>?> replace)
    {
        ArgumentNullException.ThrowIfNull(replace);
        var replaced = 0;
        for (var i = 0; i < Layers.Count; i++)
        {
            var attention = Layers[i].SelfAttention;
            var mlp = Layers[i].Mlp;
            var prefix = $"model.layers.{i}.";
            if (Config.Descriptor.FusedProjections)
            {
                replaced += Offer(prefix + "self_attn.qkv_proj", attention.QkvProj, module => attention.QkvProj = module);
            }
            else
            {
                replaced += Offer(prefix + "self_attn.q_proj", attention.QProj, module => attention.QProj = module);
                replaced += Offer(prefix + "self_attn.k_proj", attention.KProj, module => attention.KProj = module);
                replaced += Offer(prefix + "self_attn.v_proj", attention.VProj, module => attention.VProj = module);
            }

            replaced += Offer(prefix + "self_attn.o_proj", attention.OProj, module => attention.OProj = module);
            if (Config.Descriptor.FusedProjections)
            {
                replaced += Offer(prefix + "mlp.gate_up_proj", mlp.GateUpProj, module => mlp.GateUpProj = module);
            }
            else
            {
                replaced += Offer(prefix + "mlp.gate_proj", mlp.GateProj, module => mlp.GateProj = module);
                replaced += Offer(prefix + "mlp.up_proj", mlp.UpProj, module => mlp.UpProj = module);
            }

            replaced += Offer(prefix + "mlp.down_proj", mlp.DownProj, module => mlp.DownProj = module);
        }

        if (_lmHead is not null)
        {
            replaced += Offer("lm_head", _lmHead, module => LmHead = module);
        }

        return replaced;

        int Offer(string name, nn.Module<Tensor, Tensor> current, Action<nn.Module<Tensor, Tensor>> set)
        {
            var replacement = replace(name, current);
            if (replacement is null || ReferenceEquals(replacement, current))
            {
                return 0;
            }

            set(replacement);
            return 1;
        }
    }

    private void ValidateInput(Tensor inputIds, Tensor? attentionMask, KeyValueCache? cache)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        if (inputIds.dim() != 2 || inputIds.shape[1] == 0 || inputIds.is_floating_point())
        {
            throw new LoraException(
                ModelErrorCodes.ModelInputInvalid,
                $"Input ids must be integers shaped [batch, seq] with seq > 0, but are {inputIds.dtype} [{string.Join(", ", inputIds.shape)}].");
        }

        using var scope = NewDisposeScope();
        var smallest = inputIds.min().to_type(ScalarType.Int64).item<long>();
        var largest = inputIds.max().to_type(ScalarType.Int64).item<long>();
        if (smallest < 0 || largest >= Config.VocabSize)
        {
            throw new LoraException(
                ModelErrorCodes.ModelInputInvalid,
                $"Token ids must lie in 0 .. {Config.VocabSize - 1} (vocab_size {Config.VocabSize}), but range over {smallest} .. {largest}.");
        }

        var expectedKeys = (cache?.Length ?? 0) + inputIds.shape[1];
        if (attentionMask is not null
            && (attentionMask.dim() != 2 || attentionMask.shape[0] != inputIds.shape[0] || attentionMask.shape[1] != expectedKeys))
        {
            throw new LoraException(
                ModelErrorCodes.ModelInputInvalid,
                $"The attention mask must be shaped [{inputIds.shape[0]}, {expectedKeys}] (cached plus new positions), "
                    + $"but is [{string.Join(", ", attentionMask.shape)}].");
        }
    }
}
