using LoraBuild.Core.Models;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// The gated feed-forward block: <c>down(act(gate(x)) · up(x))</c> with SiLU (SwiGLU) or tanh-approximated GELU
/// (Gemma's GeGLU), with projections registered as <c>gate_proj</c>, <c>up_proj</c> and <c>down_proj</c>.
/// </summary>
/// <remarks>Setting a projection property re-registers the new module under the same name (see <see cref="LlamaAttention"/>).</remarks>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gate_proj")]
    private nn.Module<Tensor, Tensor> _gateProj;

    [ComponentName(Name = "up_proj")]
    private nn.Module<Tensor, Tensor> _upProj;

    [ComponentName(Name = "down_proj")]
    private nn.Module<Tensor, Tensor> _downProj;

    private readonly HiddenActivation _activation;

    /// <summary>Creates the feed-forward block for <paramref name="config"/>.</summary>
    public LlamaMlp(ModelConfig config, ScalarType dtype, Device device)
        : base(nameof(LlamaMlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        _activation = config.Activation;
        _gateProj = nn.Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
        _upProj = nn.Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
        _downProj = nn.Linear(config.IntermediateSize, config.HiddenSize, config.MlpBias, device, dtype);
        RegisterComponents();
    }

    /// <summary>The gate projection, <c>gate_proj</c>. Setting it re-registers the module under that name.</summary>
    public nn.Module<Tensor, Tensor> GateProj
    {
        get => _gateProj;
        set => _gateProj = SubmoduleSlot.Replace(this, "gate_proj", value);
    }

    /// <summary>The up projection, <c>up_proj</c>. Setting it re-registers the module under that name.</summary>
    public nn.Module<Tensor, Tensor> UpProj
    {
        get => _upProj;
        set => _upProj = SubmoduleSlot.Replace(this, "up_proj", value);
    }

    /// <summary>The down projection, <c>down_proj</c>. Setting it re-registers the module under that name.</summary>
    public nn.Module<Tensor, Tensor> DownProj
    {
        get => _downProj;
        set => _downProj = SubmoduleSlot.Replace(this, "down_proj", value);
    }

    /// <summary>
    /// Replaces the GELU of a GeGLU block, for comparisons with runtimes that approximate it (llama.cpp's CPU reads it
    /// from an fp16 table); null computes it exactly, as transformers does.
    /// </summary>
    internal Func<Tensor, Tensor>? GeluOverride { get; set; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var gate = _gateProj.call(input);
        var activated = _activation == HiddenActivation.GeluTanh
            ? GeluOverride?.Invoke(gate) ?? nn.functional.gelu(gate, TorchSharp.Modules.GELU.Approximate.tanh)
            : nn.functional.silu(gate);
        var gated = activated * _upProj.call(input);
        return _downProj.call(gated).MoveToOuterDisposeScope();
    }
}
