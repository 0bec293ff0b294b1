using LoraBuild.Core.Comparison;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>train --seeds N</c>: the spec trained under seeds s, s + 1, …, s + N − 1 (s being the spec's seed) into
/// <c>&lt;output&gt;/seed-&lt;n&gt;/</c>, each a complete adapter folder written atomically, then <c>seeds.json</c>
/// beside them and a table of every metric's mean ± sample standard deviation and range.
/// </summary>
internal static class SeedTraining
{
    /// <param name="spec">The resolved spec; its seed is the first.</param>
    /// <param name="count">How many seeds, at least 2.</param>
    /// <param name="outputDirectory">The folder to hold one folder per seed and <c>seeds.json</c>.</param>
    /// <param name="train">Trains one spec into one folder, as a plain <c>train</c> would.</param>
    public static int Run(TrainingSpec spec, int count, string outputDirectory, Func<TrainingSpec, string, TrainingManifest> train)
    {
        var seeds = SeedRuns.Seeds(spec.Seed, count);
        var manifests = new List<TrainingManifest>();
        foreach (var (seed, index) in seeds.Select((s, i) => (s, i)))
        {
            var folder = Path.Combine(outputDirectory, SeedRuns.FolderName(seed));
            Console.WriteLine($"Seed {seed} ({index + 1}/{seeds.Count}) → {folder}");
            manifests.Add(train(spec with { Seed = seed }, folder));
        }

        var summary = SeedSummary.Create(manifests);
        var file = Path.Combine(outputDirectory, SeedRuns.SummaryFileName);
        SeedSummaryJson.WriteFile(summary, file);
        Write(summary, file);
        return 0;
    }

    /// <summary>The table: eval metrics after training first, then train metrics, then the base model's (which no seed changes).</summary>
    private static void Write(SeedSummary summary, string file)
    {
        var table = new Table()
            .AddColumn("metric")
            .AddColumn(new TableColumn("mean ± std  (min … max)").RightAligned());
        foreach (var prefix in new[] { "eval.after.", "train.", "eval.before." })
        {
            foreach (var (key, statistics) in summary.Metrics.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                table.AddRow(Markup.Escape(key), Markup.Escape(statistics.Describe()));
            }
        }

        table.Caption($"{Markup.Escape(summary.Adapter)} over {summary.Runs.Count} seeds ({string.Join(", ", summary.Runs.Select(r => r.Seed))}); std is the sample standard deviation (n − 1)");
        AnsiConsole.Write(table);
        Console.WriteLine($"Wrote {file}");
    }
}
