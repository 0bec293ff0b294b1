using LoraBuild.Core.Training;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// An optimizer whose whole state is visible (<see cref="Parameters"/>, <see cref="StepCount"/>) and whose learning rate
/// is given to every <see cref="Step"/>, so a schedule drives it directly and a checkpoint can capture it.
/// State tensors are float32 and every parameter it updates must be float32.
/// </summary>
public abstract class TrainingOptimizer : IDisposable
{
    private readonly OptimizerParameter[] _parameters;

    /// <param name="parameters">The parameters to update, by name.</param>
    /// <param name="weightDecay">The weight decay coefficient.</param>
    /// <param name="appliesWeightDecay">Which parameters weight decay applies to; all when null.</param>
    /// <exception cref="LoraException"><see cref="TrainingErrorCodes.TrainableParameterNotFloat32"/> for a parameter that is not float32.</exception>
    protected TrainingOptimizer(
        IEnumerable<(string Name, Parameter Parameter)> parameters, double weightDecay, Func<string, Parameter, bool>? appliesWeightDecay)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        RequireFiniteNonNegative(weightDecay, "weight decay");
        WeightDecay = weightDecay;
        _parameters = [.. parameters.Select(pair =>
        {
            if (pair.Parameter.dtype != ScalarType.Float32)
            {
                throw new LoraException(
                    TrainingErrorCodes.TrainableParameterNotFloat32,
                    $"Trainable parameters must be float32 (optimizer state and updates are float32), but '{pair.Name}' is {pair.Parameter.dtype}.",
                    pair.Name);
            }

            return new OptimizerParameter(pair.Name, pair.Parameter, appliesWeightDecay?.Invoke(pair.Name, pair.Parameter) ?? true);
        })];
    }

    /// <summary>
    /// A scalar for one update, to be disposed by the caller (<c>using var</c>). TorchSharp's implicit double → Scalar
    /// conversion makes a temporary whose finalizer frees the native scalar, and nothing keeps the temporary alive once
    /// its handle has been passed on, so a collection during the native call can free it in use; a run crashed that
    /// way once in AdamW ("Expected false to be true" from c10::Scalar::toFloat). A local in a <c>using</c> lives until
    /// the end of its scope.
    /// </summary>
    protected static Scalar ScalarOf(double value) => value.ToScalar();

    /// <summary>
    /// Decoupled weight decay (Loshchilov and Hutter), as AdamW, Lion and Sophia apply it before their update:
    /// <c>θ ← θ(1 − lr·λ)</c>, for parameters weight decay applies to.
    /// </summary>
    protected void DecayDecoupled(OptimizerParameter parameter, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        if (parameter.ApplyWeightDecay && WeightDecay != 0)
        {
            using var decay = ScalarOf(1 - (learningRate * WeightDecay));
            parameter.Parameter.mul_(decay);
        }
    }

    /// <summary>The optimizer's name as a spec writes it (<c>adamw</c>, <c>sgd</c>, <c>lion</c>, <c>sophia</c>).</summary>
    public abstract string Kind { get; }

    public double WeightDecay { get; }

    /// <summary>The parameters, in the order they were given, with their state.</summary>
    public IReadOnlyList<OptimizerParameter> Parameters => _parameters;

    /// <summary>Calls of <see cref="Step"/> so far.</summary>
    public long StepCount { get; internal set; }

    /// <summary>State tensors over every parameter (<see cref="OptimizerDefaults.StateTensorsPerParameter"/> each).</summary>
    public int StateTensorCount => _parameters.Sum(parameter => parameter.State.Count);

    /// <summary>Bytes the state tensors hold: the optimizer's share of training memory.</summary>
    public long StateBytes => _parameters.Sum(parameter => parameter.State.Values.Sum(tensor => tensor.numel() * tensor.element_size()));

    /// <summary>The optimizer <paramref name="spec"/> names, over <paramref name="parameters"/>.</summary>
    /// <exception cref="LoraException"><see cref="TrainingErrorCodes.UnknownOptimizer"/>, or a setting out of range.</exception>
    public static TrainingOptimizer Create(
        TrainingSpec spec, IEnumerable<(string Name, Parameter Parameter)> parameters, Func<string, Parameter, bool>? appliesWeightDecay = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var resolved = OptimizerDefaults.Resolve(spec);
        return resolved.Optimizer switch
        {
            Optimizers.AdamW => new AdamWOptimizer(
                parameters, resolved.Beta1!.Value, resolved.Beta2!.Value, resolved.Epsilon!.Value, resolved.WeightDecay, appliesWeightDecay),
            Optimizers.Sgd => new SgdOptimizer(parameters, resolved.Momentum, resolved.Nesterov, resolved.WeightDecay, appliesWeightDecay),
            Optimizers.Lion => new LionOptimizer(parameters, resolved.Beta1!.Value, resolved.Beta2!.Value, resolved.WeightDecay, appliesWeightDecay),
            Optimizers.Sophia => new SophiaOptimizer(
                parameters,
                resolved.Beta1!.Value,
                resolved.Beta2!.Value,
                resolved.Rho!.Value,
                resolved.HessianUpdateInterval!.Value,
                resolved.Epsilon!.Value,
                resolved.WeightDecay,
                appliesWeightDecay),
            _ => throw new LoraException(
                TrainingErrorCodes.UnknownOptimizer,
                $"Unknown optimizer '{spec.Optimizer}'; the engine has {string.Join(", ", Optimizers.All)}.",
                spec.SourceLocation),
        };
    }

    /// <summary>
    /// Updates every parameter that has a gradient with learning rate <paramref name="learningRate"/>; parameters without
    /// a gradient are left alone, state included, as PyTorch does. Gradients are not cleared (see <see cref="ZeroGrad"/>).
    /// </summary>
    public void Step(double learningRate)
    {
        RequireFiniteNonNegative(learningRate, "learning rate");
        using var noGrad = no_grad();
        foreach (var parameter in _parameters)
        {
            using var scope = NewDisposeScope();
            var gradient = parameter.Parameter.grad;
            if (gradient is null)
            {
                continue;
            }

            parameter.Steps++;
            Update(parameter, gradient, learningRate);
        }

        StepCount++;
    }

    /// <summary>Drops every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var gradient = parameter.Parameter.grad;
            if (gradient is not null)
            {
                parameter.Parameter.grad = null;
            }
        }
    }

    public void Dispose()
    {
        foreach (var parameter in _parameters)
        {
            parameter.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Applies one update to <paramref name="parameter"/>, whose <see cref="OptimizerParameter.Steps"/> already counts it.</summary>
    protected abstract void Update(OptimizerParameter parameter, Tensor gradient, double learningRate);

    private protected static void RequireUnitInterval(double value, string what)
    {
        if (!double.IsFinite(value) || value < 0 || value >= 1)
        {
            throw new LoraException(TrainingSettingErrorCodes.TrainingSettingInvalid, $"The {what} must lie in [0, 1), but is {value}.");
        }
    }

    private protected static void RequireFinitePositive(double value, string what)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new LoraException(TrainingSettingErrorCodes.TrainingSettingInvalid, $"The {what} must be a finite number > 0, but is {value}.");
        }
    }

    private protected static void RequireFiniteNonNegative(double value, string what)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new LoraException(TrainingSettingErrorCodes.TrainingSettingInvalid, $"The {what} must be a finite number ≥ 0, but is {value}.");
        }
    }
}
