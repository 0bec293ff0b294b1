namespace LoraBuild.Fuzz.Mutation;

/// <summary>A small deterministic generator, so that one seed replays the same inputs on every machine and runtime.</summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, <paramref name="maxExclusive"/>).</summary>
    public int Below(int maxExclusive) => maxExclusive <= 1 ? 0 : (int)(Next() % (ulong)maxExclusive);

    public bool Chance(int oneIn) => Below(oneIn) == 0;

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    /// <summary>The generator for one input of one target: independent of how many inputs ran before it.</summary>
    public static SplitMix64 ForInput(ulong runSeed, string target, long input)
    {
        ulong hash = 14695981039346656037UL;
        foreach (var c in target)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        var mixer = new SplitMix64(runSeed ^ hash ^ ((ulong)input * 0xD1B54A32D192ED03UL));
        return new SplitMix64(mixer.Next());
    }
}
