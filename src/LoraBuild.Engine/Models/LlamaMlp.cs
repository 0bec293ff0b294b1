using LoraBuild.Core.Models;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// The SwiGLU feed-forward block: <c>down(silu(gate(x)) · up(x))</c>, with projections registered as
/// <c>gate_proj</c>, <c>up_proj</c> and <c>down_proj</c>.
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

    /// <summary>Creates the feed-forward block for <paramref name="config"/>.</summary>
    public LlamaMlp(ModelConfig config, ScalarType dtype, Device device)
        : base(nameof(LlamaMlp))
    {
        ArgumentNullException.ThrowIfNull(config);
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

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(_gateProj.call(input)) * _upProj.call(input);
        return _downProj.call(gated).MoveToOuterDisposeScope();
    }
}
