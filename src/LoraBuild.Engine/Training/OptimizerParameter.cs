using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>One parameter an optimizer updates, with its float32 state tensors (PyTorch's per-parameter <c>state</c>).</summary>
public sealed class OptimizerParameter : IDisposable
{
    private readonly Dictionary<string, Tensor> _state = new(StringComparer.Ordinal);

    internal OptimizerParameter(string name, Parameter parameter, bool applyWeightDecay)
    {
        Name = name;
        Parameter = parameter;
        ApplyWeightDecay = applyWeightDecay;
    }

    /// <summary>The parameter's name in the model, e.g. <c>model.layers.0.self_attn.q_proj.weight</c>.</summary>
    public string Name { get; }

    public Parameter Parameter { get; }

    /// <summary>Whether weight decay applies to this parameter.</summary>
    public bool ApplyWeightDecay { get; }

    /// <summary>Updates applied to this parameter so far (PyTorch's per-parameter <c>step</c>); steps where it had no gradient do not count.</summary>
    public long Steps { get; internal set; }

    /// <summary>The state tensors by PyTorch's names (<c>exp_avg</c>, <c>exp_avg_sq</c>, <c>momentum_buffer</c>); always float32.</summary>
    public IReadOnlyDictionary<string, Tensor> State => _state;

    internal void AddZeroState(string key)
    {
        using var noGrad = no_grad();
        _state.Add(key, zeros_like(Parameter, dtype: ScalarType.Float32).DetachFromDisposeScope());
    }

    public void Dispose()
    {
        foreach (var tensor in _state.Values)
        {
            tensor.Dispose();
        }

        _state.Clear();
    }
}
