using LoraBuild.Fuzz.Targets;

namespace LoraBuild.Fuzz;

/// <summary>Every parser of outside data, one target each.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All() =>
    [
        new SafeTensorsHeaderTarget(),
        new SafeTensorsIndexTarget(),
        new ModelConfigTarget(),
        new TokenizerJsonTarget(),
        new TokenizerConfigTarget(),
        new AdapterConfigTarget(),
        new TrainingSpecTarget(),
        new DatasetTarget(),
        new PackageTarget(),
        new GgufTarget(),
    ];
}
