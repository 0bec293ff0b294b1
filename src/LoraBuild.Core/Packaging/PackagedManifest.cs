using LoraBuild.Core.Manifests;

namespace LoraBuild.Core.Packaging;

/// <summary>
/// The <c>lorabuild.json</c> a package carries: the trained manifest without the training metrics that measure the
/// machine rather than the adapter (wall time, throughput, the peak and baseline memory and what the peak holds beyond
/// the counted shares). Those differ from run to run even when the weights are byte-identical, and a package built
/// twice from the same inputs must be byte-identical too.
/// </summary>
public static class PackagedManifest
{
    /// <summary>The training metrics left out of a packaged manifest.</summary>
    public static IReadOnlySet<string> MachineDependentMetrics { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "wall_seconds",
        "tokens_per_second",
        "peak_memory_bytes",
        "memory_baseline_bytes",
        "memory_activations_and_other_bytes",
    };

    /// <summary><paramref name="manifest"/> with <see cref="MachineDependentMetrics"/> taken out of its training metrics.</summary>
    public static TrainingManifest From(TrainingManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var train = manifest.Metrics.Train
            .Where(pair => !MachineDependentMetrics.Contains(pair.Key))
            .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return manifest with { Metrics = manifest.Metrics with { Train = train } };
    }
}
