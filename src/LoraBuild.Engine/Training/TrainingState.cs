using LoraBuild.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// Everything that decides what the next optimizer step does, in one place. Saving these and restoring them into a
/// trainer built from the same spec, base model and data continues a run exactly:
/// <list type="bullet">
/// <item><see cref="Parameters"/>: the trainable parameters by name (the frozen base is an input, not state);</item>
/// <item><see cref="Optimizer"/>: its per-parameter float32 state tensors and step counts;</item>
/// <item><see cref="OptimizerStep"/>: completed optimizer steps, which is also the position in <see cref="Schedule"/>
/// (the learning rate is a pure function of it);</item>
/// <item><see cref="Epoch"/> and <see cref="BatchInEpoch"/>: the position in the data; each epoch's batch order is a pure
/// function of the seed and the epoch (<see cref="ITrainingBatches"/>);</item>
/// <item><see cref="DropoutGenerator"/>: the seeded generator every <see cref="IStochasticModule"/> in the model draws
/// from (restore it with <c>set_state</c>);</item>
/// <item><see cref="LabelGenerator"/>: for an optimizer that estimates a Hessian (Sophia-G), the seeded generator its
/// sampled labels are drawn from; its Hessian estimates themselves are optimizer state;</item>
/// <item><see cref="History"/>: per-step losses, learning rates, gradient norms, token counts and time.</item>
/// </list>
/// Gradients are not state: they are cleared after every step and whenever a run stops.
/// </summary>
public sealed class TrainingState : IDisposable
{
    internal TrainingState(
        IReadOnlyList<(string Name, Parameter Parameter)> parameters,
        TrainingOptimizer optimizer,
        LearningRateSchedule schedule,
        TrainingPlan plan,
        Generator dropoutGenerator,
        Generator? labelGenerator)
    {
        Parameters = parameters.ToDictionary(pair => pair.Name, pair => pair.Parameter, StringComparer.Ordinal);
        Optimizer = optimizer;
        Schedule = schedule;
        Plan = plan;
        DropoutGenerator = dropoutGenerator;
        LabelGenerator = labelGenerator;
    }

    /// <summary>The parameters being trained, by name.</summary>
    public IReadOnlyDictionary<string, Parameter> Parameters { get; }

    public TrainingOptimizer Optimizer { get; }

    public LearningRateSchedule Schedule { get; }

    public TrainingPlan Plan { get; }

    /// <summary>Optimizer steps completed; the next step uses <c>Schedule.At(OptimizerStep)</c>.</summary>
    public int OptimizerStep { get; internal set; }

    /// <summary>The epoch the next micro-batch comes from, from 0.</summary>
    public int Epoch { get; internal set; }

    /// <summary>The index of the next micro-batch in its epoch's order.</summary>
    public int BatchInEpoch { get; internal set; }

    /// <summary>The generator dropout draws from, seeded from the spec's seed, on the model's device.</summary>
    public Generator DropoutGenerator { get; }

    /// <summary>
    /// The generator the Hessian estimate's labels are drawn from, seeded from the spec's seed, on the model's device;
    /// null when the optimizer estimates no Hessian.
    /// </summary>
    public Generator? LabelGenerator { get; }

    public TrainingHistory History { get; } = new();

    /// <summary>Whether every planned step has run.</summary>
    public bool IsComplete => OptimizerStep >= Plan.TotalSteps;

    public void Dispose()
    {
        Optimizer.Dispose();
        DropoutGenerator.Dispose();
        LabelGenerator?.Dispose();
    }
}
