using static TorchSharp.torch;

namespace LoraBuild.Engine.Training;

/// <summary>
/// A module that draws random numbers while training (dropout). The trainer hands every such module in the model the
/// run's seeded <see cref="TrainingState.DropoutGenerator"/>, so that runs repeat bit for bit and the generator's
/// state can be checkpointed; a module must draw from it (e.g. <c>bernoulli_(p, generator)</c>) rather than from
/// torch's global generator.
/// </summary>
public interface IStochasticModule
{
    /// <summary>The generator to draw from; null means torch's global generator.</summary>
    Generator? Generator { get; set; }
}
