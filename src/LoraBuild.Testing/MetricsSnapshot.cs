using System.Runtime.CompilerServices;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;
using LoraBuild.Testing.Formats;

namespace LoraBuild.Testing;

/// <summary>
/// Snapshot tests of named numbers: training losses, evaluation means, a manifest's metrics. Each number is compared
/// within its key's tolerance (<see cref="SnapshotOptions.Tolerances"/>, else 1e-6 relative).
/// </summary>
public static class MetricsSnapshot
{
    /// <summary>Checks <paramref name="metrics"/> against snapshot <paramref name="name"/>.</summary>
    /// <param name="metrics">Numbers by key.</param>
    /// <param name="name">The snapshot's file name without suffix: letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</param>
    /// <param name="options">Folder, tolerances, ignored keys; null for the defaults.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the test's source file, whose folder holds the snapshot.</param>
    /// <exception cref="SnapshotMismatchException">A number is outside its tolerance, or one is missing or new.</exception>
    public static void Verify(IReadOnlyDictionary<string, double> metrics, string name, SnapshotOptions? options = null, [CallerFilePath] string callerFilePath = "") =>
        SnapshotVerifier.Verify(metrics, name, MetricsFormat.Instance, options, callerFilePath);

    /// <summary>
    /// Checks a manifest's metrics (<c>train.*</c>, <c>eval.before.*</c>, <c>eval.after.*</c>) against snapshot
    /// <paramref name="name"/>, without the metrics that measure the machine (wall time, throughput, peak memory).
    /// </summary>
    /// <param name="manifest">A trained adapter's <c>lorabuild.json</c>.</param>
    /// <param name="name">The snapshot's file name without suffix.</param>
    /// <param name="options">Folder, tolerances, ignored keys; null for the defaults.</param>
    /// <param name="callerFilePath">Filled in by the compiler: the test's source file, whose folder holds the snapshot.</param>
    /// <exception cref="SnapshotMismatchException">A number is outside its tolerance, or one is missing or new.</exception>
    public static void Verify(TrainingManifest manifest, string name, SnapshotOptions? options = null, [CallerFilePath] string callerFilePath = "")
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Verify(Flatten(manifest), name, options, callerFilePath);
    }

    internal static SortedDictionary<string, double> Flatten(TrainingManifest manifest)
    {
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, value) in manifest.Metrics.Train.Where(pair => !PackagedManifest.MachineDependentMetrics.Contains(pair.Key)))
        {
            metrics["train." + key] = value;
        }

        foreach (var (key, value) in manifest.Metrics.Eval.Before)
        {
            metrics["eval.before." + key] = value;
        }

        foreach (var (key, value) in manifest.Metrics.Eval.After)
        {
            metrics["eval.after." + key] = value;
        }

        return metrics;
    }
}
