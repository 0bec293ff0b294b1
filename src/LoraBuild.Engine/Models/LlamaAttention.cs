using LoraBuild.Core.Models;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// Multi-head self-attention with rotary embeddings and grouped-query key/value heads.
/// Its projections are registered as <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c> and <c>o_proj</c>, or with Phi-3's fused
/// projection as <c>qkv_proj</c> and <c>o_proj</c>.
/// </summary>
/// <remarks>
/// Each projection is a <c>Module&lt;Tensor, Tensor&gt;</c> reached through a settable property; setting one (for
/// example to a LoRA wrapper around the original <c>Linear</c>) re-registers the new module under the same name,
/// so the forward pass, <c>parameters()</c> and <c>state_dict()</c> all see the replacement.
/// </remarks>
public sealed class LlamaAttention : nn.Module
{
    [ComponentName(Name = "q_proj")]
    private nn.Module<Tensor, Tensor>? _qProj;

    [ComponentName(Name = "k_proj")]
    private nn.Module<Tensor, Tensor>? _kProj;

    [ComponentName(Name = "v_proj")]
    private nn.Module<Tensor, Tensor>? _vProj;

    // Phi-3: q, k and v as one projection whose rows are the queries, then the keys, then the values; null elsewhere.
    [ComponentName(Name = "qkv_proj")]
    private nn.Module<Tensor, Tensor>? _qkvProj;

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
        if (config.Descriptor.FusedProjections)
        {
            _qkvProj = nn.Linear(hidden, (_heads + (2 * _keyValueHeads)) * _headDim, config.QkvBias, device, dtype);
        }
        else
        {
            _qProj = nn.Linear(hidden, _heads * _headDim, config.QkvBias, device, dtype);
            _kProj = nn.Linear(hidden, _keyValueHeads * _headDim, config.QkvBias, device, dtype);
            _vProj = nn.Linear(hidden, _keyValueHeads * _headDim, config.QkvBias, device, dtype);
        }

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
    /// <exception cref="InvalidOperationException">The family fuses q, k and v in <see cref="QkvProj"/>.</exception>
    public nn.Module<Tensor, Tensor> QProj
    {
        get => _qProj ?? throw Fused("q_proj");
        set => _qProj = SubmoduleSlot.Replace(this, "q_proj", _qProj is null ? throw Fused("q_proj") : value);
    }

    /// <summary>The key projection, <c>k_proj</c>. Setting it re-registers the module under that name.</summary>
    /// <exception cref="InvalidOperationException">The family fuses q, k and v in <see cref="QkvProj"/>.</exception>
    public nn.Module<Tensor, Tensor> KProj
    {
        get => _kProj ?? throw Fused("k_proj");
        set => _kProj = SubmoduleSlot.Replace(this, "k_proj", _kProj is null ? throw Fused("k_proj") : value);
    }

    /// <summary>The value projection, <c>v_proj</c>. Setting it re-registers the module under that name.</summary>
    /// <exception cref="InvalidOperationException">The family fuses q, k and v in <see cref="QkvProj"/>.</exception>
    public nn.Module<Tensor, Tensor> VProj
    {
        get => _vProj ?? throw Fused("v_proj");
        set => _vProj = SubmoduleSlot.Replace(this, "v_proj", _vProj is null ? throw Fused("v_proj") : value);
    }

    /// <summary>Phi-3's fused projection, <c>qkv_proj</c>. Setting it re-registers the module under that name.</summary>
    /// <exception cref="InvalidOperationException">The family has separate q, k and v projections.</exception>
    public nn.Module<Tensor, Tensor> QkvProj
    {
        get => _qkvProj ?? throw Separate();
        set => _qkvProj = SubmoduleSlot.Replace(this, "qkv_proj", _qkvProj is null ? throw Separate() : value);
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

        var (projectedQueries, projectedKeys, projectedValues) = Project(hidden);
        var queries = SplitHeads(projectedQueries, batch, length, _heads, _qNorm);
        var keys = SplitHeads(projectedKeys, batch, length, _keyValueHeads, _kNorm);
        var values = SplitHeads(projectedValues, batch, length, _keyValueHeads, norm: null);

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

    private (Tensor Queries, Tensor Keys, Tensor Values) Project(Tensor hidden)
    {
        if (_qkvProj is null)
        {
            return (_qProj!.call(hidden), _kProj!.call(hidden), _vProj!.call(hidden));
        }

        var parts = _qkvProj.call(hidden).split([_heads * _headDim, _keyValueHeads * _headDim, _keyValueHeads * _headDim], -1);
        return (parts[0], parts[1], parts[2]);
    }

    private static InvalidOperationException Fused(string name) =>
        new($"This model fuses q, k and v in one projection, qkv_proj; it has no {name}.");

    private static InvalidOperationException Separate() =>
        new("This model has separate q_proj, k_proj and v_proj; it has no qkv_proj.");

    private Tensor SplitHeads(Tensor projected, long batch, long length, int heads, RmsNorm? norm)
    {
        var split = projected.view(batch, length, heads, _headDim);
        return (norm is null ? split : norm.call(split)).transpose(1, 2);
    }
}
