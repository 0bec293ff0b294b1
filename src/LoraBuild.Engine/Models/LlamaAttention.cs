using LoraBuild.Core.Models;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// Multi-head self-attention with rotary embeddings and grouped-query key/value heads.
/// Its projections are registered as <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c> and <c>o_proj</c>.
/// </summary>
/// <remarks>
/// Each projection is a <c>Module&lt;Tensor, Tensor&gt;</c> reached through a settable property; setting one (for
/// example to a LoRA wrapper around the original <c>Linear</c>) re-registers the new module under the same name,
/// so the forward pass, <c>parameters()</c> and <c>state_dict()</c> all see the replacement.
/// </remarks>
public sealed class LlamaAttention : nn.Module
{
    [ComponentName(Name = "q_proj")]
    private nn.Module<Tensor, Tensor> _qProj;

    [ComponentName(Name = "k_proj")]
    private nn.Module<Tensor, Tensor> _kProj;

    [ComponentName(Name = "v_proj")]
    private nn.Module<Tensor, Tensor> _vProj;

    [ComponentName(Name = "o_proj")]
    private nn.Module<Tensor, Tensor> _oProj;

    // Qwen 3: an RMSNorm over each query and key head, before the rotary embedding; null for other families.
    [ComponentName(Name = "q_norm")]
    private RmsNorm? _qNorm;

    [ComponentName(Name = "k_norm")]
    private RmsNorm? _kNorm;

    private readonly int _layerIndex;
    private readonly int _heads;
    private readonly int _keyValueHeads;
    private readonly int _headDim;
    private readonly double _scale;
    private readonly double? _softCap;
    private readonly bool _fusedKernel;

    /// <summary>Creates the attention block of decoder layer <paramref name="layerIndex"/>.</summary>
    public LlamaAttention(ModelConfig config, int layerIndex, ScalarType dtype, Device device)
        : base(nameof(LlamaAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _layerIndex = layerIndex;
        _heads = config.NumAttentionHeads;
        _keyValueHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _scale = config.AttentionScale;
        _softCap = config.AttentionLogitSoftCapping;
        // The fused kernel scales by 1/√headDim and cannot soft-cap; anything else takes the eager path.
        _fusedKernel = _softCap is null && (config.QueryPreAttentionScalar ?? _headDim) == _headDim;

        var hidden = config.HiddenSize;
        _qProj = nn.Linear(hidden, _heads * _headDim, config.QkvBias, device, dtype);
        _kProj = nn.Linear(hidden, _keyValueHeads * _headDim, config.QkvBias, device, dtype);
        _vProj = nn.Linear(hidden, _keyValueHeads * _headDim, config.QkvBias, device, dtype);
        _oProj = nn.Linear(_heads * _headDim, hidden, config.OutputProjectionBias, device, dtype);
        if (config.QueryKeyNorm)
        {
            var unitOffset = config.Descriptor.UnitOffsetNorms;
            _qNorm = new RmsNorm(_headDim, config.RmsNormEps, dtype, device, unitOffset);
            _kNorm = new RmsNorm(_headDim, config.RmsNormEps, dtype, device, unitOffset);
        }

        RegisterComponents();
    }

    /// <summary>The query projection, <c>q_proj</c>. Setting it re-registers the module under that name.</summary>
    public nn.Module<Tensor, Tensor> QProj
    {
        get => _qProj;
        set => _qProj = SubmoduleSlot.Replace(this, "q_proj", value);
    }

    /// <summary>The key projection, <c>k_proj</c>. Setting it re-registers the module under that name.</summary>
    public nn.Module<Tensor, Tensor> KProj
    {
        get => _kProj;
        set => _kProj = SubmoduleSlot.Replace(this, "k_proj", value);
    }

    /// <summary>The value projection, <c>v_proj</c>. Setting it re-registers the module under that name.</summary>
    public nn.Module<Tensor, Tensor> VProj
    {
        get => _vProj;
        set => _vProj = SubmoduleSlot.Replace(this, "v_proj", value);
    }

    /// <summary>The output projection, <c>o_proj</c>. Setting it re-registers the module under that name.</summary>
    public nn.Module<Tensor, Tensor> OProj
    {
        get => _oProj;
        set => _oProj = SubmoduleSlot.Replace(this, "o_proj", value);
    }

    /// <summary>Attends <paramref name="hidden"/> ([batch, seq, hidden]) to itself and to any cached positions.</summary>
    public Tensor Forward(Tensor hidden, AttentionContext context)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var length = hidden.shape[1];

        var queries = SplitHeads(_qProj.call(hidden), batch, length, _heads, _qNorm);
        var keys = SplitHeads(_kProj.call(hidden), batch, length, _keyValueHeads, _kNorm);
        var values = SplitHeads(_vProj.call(hidden), batch, length, _keyValueHeads, norm: null);

        var (cos, sin) = context.RotaryFor(_layerIndex);
        queries = RotaryEmbedding.Apply(queries, cos, sin);
        keys = RotaryEmbedding.Apply(keys, cos, sin);

        if (context.Cache is { } cache)
        {
            (keys, values) = cache.Append(_layerIndex, keys, values);
        }

        keys = RepeatKeyValueHeads(keys, _heads / _keyValueHeads);
        values = RepeatKeyValueHeads(values, _heads / _keyValueHeads);

        var (mask, isCausal) = context.MaskFor(_layerIndex);
        var attended = _fusedKernel
            ? nn.functional.scaled_dot_product_attention(queries, keys, values, attn_mask: mask, is_casual: isCausal)
            : EagerAttention.Attend(queries, keys, values, mask, isCausal, _scale, _softCap);
        var merged = attended.transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return _oProj.call(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [batch, kvHeads, seq, headDim] → [batch, kvHeads · groups, seq, headDim], each key/value head repeated for
    /// the consecutive query heads that share it.
    /// </summary>
    public static Tensor RepeatKeyValueHeads(Tensor keysOrValues, int groups)
    {
        ArgumentNullException.ThrowIfNull(keysOrValues);
        if (groups == 1)
        {
            return keysOrValues.alias();
        }

        var shape = keysOrValues.shape;
        return keysOrValues
            .unsqueeze(2)
            .expand(shape[0], shape[1], groups, shape[2], shape[3])
            .reshape(shape[0], shape[1] * groups, shape[2], shape[3]);
    }

    private Tensor SplitHeads(Tensor projected, long batch, long length, int heads, RmsNorm? norm)
    {
        var split = projected.view(batch, length, heads, _headDim);
        return (norm is null ? split : norm.call(split)).transpose(1, 2);
    }
}
