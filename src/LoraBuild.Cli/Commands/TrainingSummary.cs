using System.Globalization;
using LoraBuild.Core.Manifests;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// The tables printed at the end of <c>train</c> and <c>eval</c>: where the result went and the training figures, then
/// every held-out metric before → after.
/// </summary>
internal static class TrainingSummary
{
    private static readonly HashSet<string> s_counts = new(StringComparer.Ordinal) { "samples", "target_tokens" };

    public static void Write(TrainingManifest manifest, string outputDirectory)
    {
        var train = manifest.Metrics.Train;
        var table = new Table().AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("output", Markup.Escape(outputDirectory));
        table.AddRow("fingerprint", manifest.Fingerprint[..16] + "…");
        foreach (var name in new[] { "trainable_parameters", "steps", "loss_first", "loss_final", "tokens_per_second", "wall_seconds", "peak_memory_bytes",
            "memory_baseline_bytes", "memory_frozen_weights_bytes", "memory_trainable_bytes", "memory_gradients_bytes",
            "memory_optimizer_state_bytes", "memory_activations_and_other_bytes" })
        {
            if (train.TryGetValue(name, out var value))
            {
                table.AddRow($"train.{name}", Format(name, value));
            }
        }

        AnsiConsole.Write(table);
        WriteMetrics(manifest.Metrics.Eval.Before, manifest.Metrics.Eval.After);
    }

    /// <summary>One row per held-out metric, in ordinal order: before (base model) → after (with the adapter), and the change.</summary>
    public static void WriteMetrics(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after)
    {
        var names = before.Keys.Union(after.Keys).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            AnsiConsole.WriteLine("No held-out evaluation: no eval data.");
            return;
        }

        var table = new Table()
            .Title("held-out metrics")
            .AddColumn("metric")
            .AddColumn(new TableColumn("before").RightAligned())
            .AddColumn(new TableColumn("after").RightAligned())
            .AddColumn(new TableColumn("change").RightAligned());
        foreach (var name in names)
        {
            var hasBefore = before.TryGetValue(name, out var b);
            var hasAfter = after.TryGetValue(name, out var a);
            var change = hasBefore && hasAfter && !s_counts.Contains(name) ? Signed(a - b) : "–";
            table.AddRow(Markup.Escape(name), hasBefore ? Format(name, b) : "–", $"→ {(hasAfter ? Format(name, a) : "–")}", change);
        }

        AnsiConsole.Write(table);
    }

    private static string Signed(double value) =>
        (value > 0 ? "+" : string.Empty) + value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Format(string name, double value) => name switch
    {
        _ when name.EndsWith("_bytes", StringComparison.Ordinal) => $"{value / (1 << 20):F1} MiB",
        "trainable_parameters" or "steps" or "samples" or "target_tokens" or "total_tokens" => value.ToString("N0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.####", CultureInfo.InvariantCulture),
    };
}
