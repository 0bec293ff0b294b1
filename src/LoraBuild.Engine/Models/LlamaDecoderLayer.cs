using LoraBuild.Core.Models;
using LoraBuild.Engine.Tensors;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// One pre-norm decoder layer: <c>x + attn(norm(x))</c>, then <c>x + mlp(norm(x))</c>. Registered children:
/// <c>input_layernorm</c>, <c>self_attn</c>, <c>post_attention_layernorm</c>, <c>mlp</c>. With Gemma's sandwich norms
/// it is <c>x + post_attention_layernorm(attn(input_layernorm(x)))</c>, then
/// <c>x + post_feedforward_layernorm(mlp(pre_feedforward_layernorm(x)))</c>.
/// </summary>
public sealed class LlamaDecoderLayer : nn.Module
{
    [ComponentName(Name = "input_layernorm")]
    private RmsNorm _inputLayerNorm;

    [ComponentName(Name = "self_attn")]
    private LlamaAttention _selfAttention;

    [ComponentName(Name = "post_attention_layernorm")]
    private RmsNorm _postAttentionLayerNorm;

    [ComponentName(Name = "mlp")]
    private LlamaMlp _mlp;

    [ComponentName(Name = "pre_feedforward_layernorm")]
    private RmsNorm? _preFeedforwardLayerNorm;

    [ComponentName(Name = "post_feedforward_layernorm")]
    private RmsNorm? _postFeedforwardLayerNorm;

    /// <summary>Creates decoder layer number <paramref name="layerIndex"/>.</summary>
    public LlamaDecoderLayer(ModelConfig config, int layerIndex, ScalarType dtype, Device device)
        : base(nameof(LlamaDecoderLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        LayerIndex = layerIndex;
        var unitOffset = config.Descriptor.UnitOffsetNorms;
        _inputLayerNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device, unitOffset);
        _selfAttention = new LlamaAttention(config, layerIndex, dtype, device);
        _postAttentionLayerNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device, unitOffset);
        _mlp = new LlamaMlp(config, dtype, device);
        if (config.Descriptor.SandwichNorms)
        {
            _preFeedforwardLayerNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device, unitOffset);
            _postFeedforwardLayerNorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device, unitOffset);
        }

        RegisterComponents();
    }

    /// <summary>The layer's index in the model, which decides its attention mask (sliding window or not).</summary>
    public int LayerIndex { get; }

    /// <summary>The attention block, <c>self_attn</c>; its projections can be replaced through its properties.</summary>
    public LlamaAttention SelfAttention => _selfAttention;

    /// <summary>The feed-forward block, <c>mlp</c>; its projections can be replaced through its properties.</summary>
    public LlamaMlp Mlp => _mlp;

    /// <summary>The norm before attention, <c>input_layernorm</c>.</summary>
    public RmsNorm InputLayerNorm => _inputLayerNorm;

    /// <summary><c>post_attention_layernorm</c>: the norm before the feed-forward block, or with sandwich norms the norm of the attention output.</summary>
    public RmsNorm PostAttentionLayerNorm => _postAttentionLayerNorm;

    /// <summary>Runs the layer on <paramref name="hidden"/> ([batch, seq, hidden]).</summary>
    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        using var scope = NewDisposeScope();
        var attended = _selfAttention.Forward(_inputLayerNorm.call(hidden), context);
        if (_preFeedforwardLayerNorm is null || _postFeedforwardLayerNorm is null)
        {
            var afterAttention = hidden.Plus(attended);
            return afterAttention.Plus(_mlp.call(_postAttentionLayerNorm.call(afterAttention))).MoveToOuterDisposeScope();
        }

        var residual = hidden.Plus(_postAttentionLayerNorm.call(attended));
        var fed = _postFeedforwardLayerNorm.call(_mlp.call(_preFeedforwardLayerNorm.call(residual)));
        return residual.Plus(fed).MoveToOuterDisposeScope();
    }
}
