using LoraBuild.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// The states of the generators a module's stochastic submodules (<see cref="IStochasticModule"/>) draw from, taken at
/// one moment, so that a second run of the module draws the very same random numbers (dropout masks) as the first.
/// </summary>
internal sealed class GeneratorStates
{
    private readonly (Generator Generator, byte[] State)[] _states;

    private GeneratorStates((Generator Generator, byte[] State)[] states) => _states = states;

    /// <summary>The current state of every distinct generator under <paramref name="module"/>.</summary>
    public static GeneratorStates Capture(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var generators = module.modules()
            .OfType<IStochasticModule>()
            .Select(stochastic => stochastic.Generator)
            .OfType<Generator>()
            .Distinct(ReferenceEqualityComparer.Instance)
            .Cast<Generator>();
        return new GeneratorStates([.. generators.Select(generator => (generator, Read(generator)))]);
    }

    /// <summary>
    /// Puts every generator back into the captured state; disposing the result returns each to the state it had when
    /// this was called, so that draws after the replay continue as if it had not happened.
    /// </summary>
    public IDisposable Rewind()
    {
        var current = new GeneratorStates([.. _states.Select(entry => (entry.Generator, Read(entry.Generator)))]);
        Apply();
        return new Restore(current);
    }

    private void Apply()
    {
        foreach (var (generator, state) in _states)
        {
            using var tensor = torch.tensor(state);
            generator.set_state(tensor);
        }
    }

    private static byte[] Read(Generator generator)
    {
        using var state = generator.get_state();
        return state.data<byte>().ToArray();
    }

    private sealed class Restore(GeneratorStates states) : IDisposable
    {
        public void Dispose() => states.Apply();
    }
}
