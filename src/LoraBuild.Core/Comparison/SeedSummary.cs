using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Core.Comparison;

/// <summary>One run of a seed-consistency study: its seed, fingerprint and metrics, train metrics without timings.</summary>
public sealed record SeedRun(
    int Seed,
    string Fingerprint,
    IReadOnlyDictionary<string, double> Train,
    IReadOnlyDictionary<string, double> EvalBefore,
    IReadOnlyDictionary<string, double> EvalAfter);

/// <summary>
/// One spec trained under several seeds: every run's metrics and, per metric, the statistics over the runs that have
/// it. Metric keys are <c>train.&lt;name&gt;</c>, <c>eval.before.&lt;name&gt;</c> and <c>eval.after.&lt;name&gt;</c>.
/// Timings and memory are left out: they measure the machine, not the seed, and would make equal studies unequal files.
/// </summary>
public sealed record SeedSummary(string Adapter, IReadOnlyList<SeedRun> Runs, IReadOnlyDictionary<string, SampleStatistics> Metrics)
{
    /// <summary>Train metrics that depend on the machine and its load rather than on the training.</summary>
    public static IReadOnlySet<string> RunDependentTrainMetrics { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "wall_seconds", "tokens_per_second", "peak_memory_bytes",
    };

    /// <summary>The summary of <paramref name="manifests"/>, runs ordered by seed.</summary>
    public static SeedSummary Create(IEnumerable<TrainingManifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var runs = manifests.Select(m => new SeedRun(
            m.Spec.Seed,
            m.Fingerprint,
            Sorted(m.Metrics.Train.Where(kv => !RunDependentTrainMetrics.Contains(kv.Key))),
            Sorted(m.Metrics.Eval.Before),
            Sorted(m.Metrics.Eval.After))).OrderBy(r => r.Seed).ToList();
        var names = manifests.Select(m => m.AdapterName).Distinct(StringComparer.Ordinal).ToList();
        if (runs.Count == 0 || names.Count != 1)
        {
            throw new LoraException(
                ComparisonErrorCodes.SeedRunsInconsistent,
                runs.Count == 0 ? "A seed summary needs at least one run." : $"The runs are of different adapters ({string.Join(", ", names)}); a seed summary compares one spec under several seeds.");
        }

        if (runs.GroupBy(r => r.Seed).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new LoraException(ComparisonErrorCodes.SeedRunsInconsistent, $"Seed {twice.Key} appears {twice.Count()} times among the runs of '{names[0]}'.");
        }

        var values = new SortedDictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            Collect(values, "train.", run.Train);
            Collect(values, "eval.before.", run.EvalBefore);
            Collect(values, "eval.after.", run.EvalAfter);
        }

        var metrics = new SortedDictionary<string, SampleStatistics>(StringComparer.Ordinal);
        foreach (var (key, list) in values)
        {
            metrics[key] = SampleStatistics.Of(list);
        }

        return new SeedSummary(names[0], runs, metrics);
    }

    private static SortedDictionary<string, double> Sorted(IEnumerable<KeyValuePair<string, double>> values) =>
        new(values.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    private static void Collect(SortedDictionary<string, List<double>> values, string prefix, IReadOnlyDictionary<string, double> metrics)
    {
        foreach (var (name, value) in metrics)
        {
            if (!values.TryGetValue(prefix + name, out var list))
            {
                values[prefix + name] = list = [];
            }

            list.Add(value);
        }
    }
}
