using System.Globalization;
using LoraBuild.Core.Manifests;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>The table printed at the end of a run: where the result went, and the metrics before and after.</summary>
internal static class TrainingSummary
{
    public static void Write(TrainingManifest manifest, string outputDirectory)
    {
        var train = manifest.Metrics.Train;
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("output", Markup.Escape(outputDirectory));
        table.AddRow("fingerprint", manifest.Fingerprint[..16] + "…");
        foreach (var name in new[] { "trainable_parameters", "steps", "loss_first", "loss_final", "tokens_per_second", "wall_seconds", "peak_memory_bytes" })
        {
            if (train.TryGetValue(name, out var value))
            {
                table.AddRow($"train.{name}", Format(name, value));
            }
        }

        var eval = manifest.Metrics.Eval;
        foreach (var name in eval.Before.Keys.Union(eval.After.Keys).Order(StringComparer.Ordinal))
        {
            var before = eval.Before.TryGetValue(name, out var b) ? Format(name, b) : "–";
            var after = eval.After.TryGetValue(name, out var a) ? Format(name, a) : "–";
            table.AddRow($"eval.{name} before → after", $"{before} → {after}");
        }

        AnsiConsole.Write(table);
    }

    private static string Format(string name, double value) => name switch
    {
        "peak_memory_bytes" => $"{value / (1 << 20):F0} MiB",
        "trainable_parameters" or "steps" or "samples" or "target_tokens" or "total_tokens" => value.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };
}
