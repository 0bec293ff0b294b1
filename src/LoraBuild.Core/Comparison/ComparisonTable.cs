using System.Globalization;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Comparison;

/// <summary>
/// The table <c>dotnet lora compare</c> prints and writes: one row per adapter with its settings (targets, r, alpha,
/// optimizer, scheduler, epochs), its cost (trainable parameters, wall time, tokens/s, peak memory) and its results
/// (final train loss, eval loss before → after, then every other eval metric after training, in ordinal key order).
/// Rows are ordered by name and folder unless a sort column is given; ties keep that order, so the table is stable.
/// </summary>
public sealed class ComparisonTable
{
    private const string Missing = "–";

    /// <summary>Eval values that count things rather than measure quality, and the loss, which has its own column.</summary>
    private static readonly HashSet<string> s_shownElsewhere = new(StringComparer.Ordinal) { "batches", "samples", "target_tokens", "loss" };

    private ComparisonTable(IReadOnlyList<ComparisonColumn> columns, IReadOnlyList<ComparedAdapter> adapters)
    {
        Columns = columns;
        Adapters = adapters;
        Rows = [.. adapters.Select(a => (IReadOnlyList<string>)[.. columns.Select(c => c.Text(a))])];
    }

    public IReadOnlyList<ComparisonColumn> Columns { get; }

    /// <summary>The adapters in row order.</summary>
    public IReadOnlyList<ComparedAdapter> Adapters { get; }

    /// <summary>The cells, row by row, in column order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    /// <param name="adapters">The adapters to compare.</param>
    /// <param name="sort">A column key to order rows by (ascending), or null for name order.</param>
    /// <param name="descending">Order by <paramref name="sort"/> descending; missing values stay last either way.</param>
    public static ComparisonTable Create(IReadOnlyList<ComparedAdapter> adapters, string? sort = null, bool descending = false)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        var labels = Labels(adapters);
        var columns = BuildColumns(adapters, labels);
        IEnumerable<ComparedAdapter> ordered = adapters
            .OrderBy(a => labels[a], StringComparer.Ordinal)
            .ThenBy(a => a.Folder, StringComparer.Ordinal)
            .ToList();
        if (sort is not null)
        {
            var column = columns.FirstOrDefault(c => string.Equals(c.Key, sort, StringComparison.OrdinalIgnoreCase))
                ?? throw new LoraException(
                    ComparisonErrorCodes.SortColumnUnknown,
                    $"There is no column '{sort}' to sort by; the columns are: {string.Join(", ", columns.Select(c => c.Key))}.",
                    "--sort");
            ordered = SortBy(ordered.ToList(), column, descending);
        }

        return new ComparisonTable(columns, [.. ordered]);
    }

    private static IEnumerable<ComparedAdapter> SortBy(List<ComparedAdapter> rows, ComparisonColumn column, bool descending)
    {
        // OrderBy is stable, so equal keys keep name order; missing values go last in both directions.
        var present = rows.Where(r => !column.Numeric || column.Value(r) is not null);
        var absent = rows.Where(r => column.Numeric && column.Value(r) is null);
        var sorted = column.Numeric
            ? (descending ? present.OrderByDescending(r => column.Value(r)!.Value) : present.OrderBy(r => column.Value(r)!.Value))
            : (descending ? present.OrderByDescending(column.Text, StringComparer.Ordinal) : present.OrderBy(column.Text, StringComparer.Ordinal));
        return sorted.Concat(absent);
    }

    /// <summary>The adapter name, with its folder name added where two adapters share a name (e.g. the runs of a seed study).</summary>
    private static Dictionary<ComparedAdapter, string> Labels(IReadOnlyList<ComparedAdapter> adapters)
    {
        var shared = adapters.GroupBy(a => a.Manifest.AdapterName, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var labels = adapters.ToDictionary(a => a, a => shared.Contains(a.Manifest.AdapterName) ? $"{a.Manifest.AdapterName} ({Path.GetFileName(a.Folder)})" : a.Manifest.AdapterName);
        // Still equal (two projects' adapters of one name in equally named folders): fall back to the full folder.
        var clashing = labels.GroupBy(kv => kv.Value, StringComparer.Ordinal).Where(g => g.Count() > 1).SelectMany(g => g.Select(kv => kv.Key)).ToList();
        foreach (var adapter in clashing)
        {
            labels[adapter] = $"{adapter.Manifest.AdapterName} ({adapter.Folder})";
        }

        return labels;
    }

    private static List<ComparisonColumn> BuildColumns(IReadOnlyList<ComparedAdapter> adapters, Dictionary<ComparedAdapter, string> labels)
    {
        List<ComparisonColumn> columns =
        [
            Text("name", "name", a => labels[a]),
            Text("targets", "targets", a => IsLora(a) ? a.Manifest.Spec.TargetModules : "full"),
            Number("r", "r", a => IsLora(a) ? a.Manifest.Spec.Rank : null, v => Format(v, "0")),
            Number("alpha", "alpha", a => IsLora(a) ? a.Manifest.Spec.Alpha : null, v => Format(v, "0.##")),
            Text("optimizer", "optimizer", a => a.Manifest.Spec.Optimizer),
            Text("scheduler", "scheduler", a => a.Manifest.Spec.Scheduler),
            Number("epochs", "epochs", a => a.Manifest.Spec.Epochs, v => Format(v, "0")),
            Number("params", "trainable params", a => Train(a, "trainable_parameters"), v => Format(v, "N0")),
            Number("wall", "wall time", a => Train(a, "wall_seconds"), v => Format(v, "0.0") + " s"),
            Number("tokens-per-second", "tokens/s", a => Train(a, "tokens_per_second"), v => Format(v, "0")),
            Number("memory", "peak memory", a => Train(a, "peak_memory_bytes"), v => Format(v / (1 << 20), "0") + " MiB"),
            Number("train-loss", "final train loss", a => Train(a, "loss_final"), v => Format(v, "0.0000")),
            new ComparisonColumn("eval-loss", "eval loss before → after", Numeric: true, a => Eval(a.Manifest.Metrics.Eval.After, "loss"), a =>
                Eval(a.Manifest.Metrics.Eval.Before, "loss") is null && Eval(a.Manifest.Metrics.Eval.After, "loss") is null
                    ? Missing
                    : $"{Cell(Eval(a.Manifest.Metrics.Eval.Before, "loss"), v => Format(v, "0.0000"))} → {Cell(Eval(a.Manifest.Metrics.Eval.After, "loss"), v => Format(v, "0.0000"))}")
            {
                ValueBefore = a => Eval(a.Manifest.Metrics.Eval.Before, "loss"),
            },
        ];
        var evalKeys = adapters.SelectMany(a => a.Manifest.Metrics.Eval.After.Keys).Where(k => !s_shownElsewhere.Contains(k)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        columns.AddRange(evalKeys.Select(key => Number(key, key, a => Eval(a.Manifest.Metrics.Eval.After, key), v => Format(v, "0.####"))));
        return columns;
    }

    private static bool IsLora(ComparedAdapter adapter) => adapter.Manifest.Spec.Mode == TrainingModes.Lora;

    private static double? Train(ComparedAdapter adapter, string name) => Eval(adapter.Manifest.Metrics.Train, name);

    private static double? Eval(IReadOnlyDictionary<string, double> values, string name) => values.TryGetValue(name, out var value) ? value : null;

    private static ComparisonColumn Text(string key, string header, Func<ComparedAdapter, string> text) =>
        new(key, header, Numeric: false, _ => null, text);

    private static ComparisonColumn Number(string key, string header, Func<ComparedAdapter, double?> value, Func<double, string> format) =>
        new(key, header, Numeric: true, value, a => Cell(value(a), format));

    private static string Cell(double? value, Func<double, string> format) => value is { } v ? format(v) : Missing;

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
