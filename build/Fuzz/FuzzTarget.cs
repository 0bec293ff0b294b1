using LoraBuild.Fuzz.Mutation;

namespace LoraBuild.Fuzz;

/// <summary>
/// One parser of outside data under fuzzing. <see cref="Execute"/> may return or throw a <c>LoraException</c>;
/// anything else it throws is a crash.
/// </summary>
internal abstract class FuzzTarget
{
    public abstract string Name { get; }

    /// <summary>The real files the inputs are mutated from; each also runs once as it is.</summary>
    public abstract IReadOnlyList<byte[]> Seeds { get; }

    /// <summary>Prepares the target: reads its seeds and makes its scratch files under <paramref name="scratch"/>.</summary>
    public abstract void Prepare(SeedFiles seeds, string scratch);

    /// <summary>A new input made from the seeds; the same generator state gives the same input.</summary>
    public virtual byte[] Mutate(SplitMix64 random) => ByteMutator.Mutate(random, random.Pick(Seeds), Seeds);

    /// <summary>Feeds one input to the parser.</summary>
    public abstract void Execute(byte[] input);
}
