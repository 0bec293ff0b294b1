using LoraBuild.Core.Models;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// The gated feed-forward block: <c>down(act(gate(x)) · up(x))</c> with SiLU (SwiGLU) or tanh-approximated GELU
/// (Gemma's GeGLU), with projections registered as <c>gate_proj</c>, <c>up_proj</c> and <c>down_proj</c>, or with Phi-3's
/// fused projection as <c>gate_up_proj</c> (gate rows first) and <c>down_proj</c>.
/// </summary>
/// <remarks>Setting a projection property re-registers the new module under the same name (see <see cref="LlamaAttention"/>).</remarks>
public sealed class LlamaMlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "gate_proj")]
    private nn.Module<Tensor, Tensor>? _gateProj;

    [ComponentName(Name = "up_proj")]
    private nn.Module<Tensor, Tensor>? _upProj;

    // Phi-3: gate and up as one projection, the gate's rows first; null elsewhere.
    [ComponentName(Name = "gate_up_proj")]
    private nn.Module<Tensor, Tensor>? _gateUpProj;

    [ComponentName(Name = "down_proj")]
    private nn.Module<Tensor, Tensor> _downProj;

    private readonly HiddenActivation _activation;

    /// <summary>Creates the feed-forward block for <paramref name="config"/>.</summary>
    public LlamaMlp(ModelConfig config, ScalarType dtype, Device device)
        : base(nameof(LlamaMlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        _activation = config.Activation;
        if (config.Descriptor.FusedProjections)
        {
            _gateUpProj = nn.Linear(config.HiddenSize, 2 * config.IntermediateSize, config.MlpBias, device, dtype);
        }
        else
        {
            _gateProj = nn.Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
            _upProj = nn.Linear(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
        }

        _downProj = nn.Linear(config.IntermediateSize, config.HiddenSize, config.MlpBias, device, dtype);
        RegisterComponents();
    }

    /// <summary>The gate projection, <c>gate_proj</c>. Setting it re-registers the module under that name.</summary>
    /// <exception cref="InvalidOperationException">The family fuses gate and up in <see cref="GateUpProj"/>.</exception>
    public nn.Module<Tensor, Tensor> GateProj
    {
        get => _gateProj ?? throw Fused("gate_proj");
        set => _gateProj = SubmoduleSlot.Replace(this, "gate_proj", _gateProj is null ? throw Fused("gate_proj") : value);
    }

    /// <summary>The up projection, <c>up_proj</c>. Setting it re-registers the module under that name.</summary>
    /// <exception cref="InvalidOperationException">The family fuses gate and up in <see cref="GateUpProj"/>.</exception>
    public nn.Module<Tensor, Tensor> UpProj
    {
        get => _upProj ?? throw Fused("up_proj");
        set => _upProj = SubmoduleSlot.Replace(this, "up_proj", _upProj is null ? throw Fused("up_proj") : value);
    }

    /// <summary>Phi-3's fused projection, <c>gate_up_proj</c>. Setting it re-registers the module under that name.</summary>
    /// <exception cref="InvalidOperationException">The family has separate gate and up projections.</exception>
    public nn.Module<Tensor, Tensor> GateUpProj
    {
        get => _gateUpProj ?? throw Separate();
        set => _gateUpProj = SubmoduleSlot.Replace(this, "gate_up_proj", _gateUpProj is null ? throw Separate() : value);
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
        var (gate, up) = Project(input);
        var activated = _activation == HiddenActivation.GeluTanh
            ? GeluOverride?.Invoke(gate) ?? nn.functional.gelu(gate, TorchSharp.Modules.GELU.Approximate.tanh)
            : nn.functional.silu(gate);
        var gated = activated * up;
        return _downProj.call(gated).MoveToOuterDisposeScope();
    }

    private (Tensor Gate, Tensor Up) Project(Tensor input)
    {
        if (_gateUpProj is null)
        {
            return (_gateProj!.call(input), _upProj!.call(input));
        }

        var halves = _gateUpProj.call(input).chunk(2, -1);
        return (halves[0], halves[1]);
    }

    private static InvalidOperationException Fused(string name) =>
        new($"This model fuses gate and up in one projection, gate_up_proj; it has no {name}.");

    private static InvalidOperationException Separate() =>
        new("This model has separate gate_proj and up_proj; it has no gate_up_proj.");
}
