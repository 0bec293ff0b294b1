namespace LoraBuild.Core.Comparison;

/// <summary>
/// Which columns of a <see cref="ComparisonTable"/> fit a terminal: the name, the sort column and the results first,
/// then cost and settings, each kept only if it still fits; shown in the table's own order. What is left out is named,
/// so nothing disappears silently.
/// </summary>
public static class ComparisonFit
{
    /// <summary>The characters a bordered table spends per column beside its text: a border and a space on each side.</summary>
    public const int ColumnOverhead = 3;

    /// <summary>Settings and cost columns in the order they are given room, after the name, the sort column, the eval metrics and the eval loss.</summary>
    private static readonly string[] s_settingsByPriority =
        ["r", "targets", "train-loss", "params", "memory", "tokens-per-second", "wall", "alpha", "epochs", "optimizer", "scheduler"];

    /// <param name="table">The table.</param>
    /// <param name="width">The terminal's width in characters.</param>
    /// <param name="sortKey">The <c>--sort</c> column, kept right after the name.</param>
    /// <returns>The columns to show, in table order, and those left out.</returns>
    public static (IReadOnlyList<ComparisonColumn> Shown, IReadOnlyList<ComparisonColumn> Omitted) Columns(ComparisonTable table, int width, string? sortKey = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var widths = Widths(table);
        var used = 1; // the table's left border
        var kept = new HashSet<int>();
        foreach (var index in Priority(table, sortKey))
        {
            var needed = widths[index] + ColumnOverhead;
            if (kept.Count == 0 || used + needed <= width)
            {
                kept.Add(index);
                used += needed;
            }
        }

        var shown = table.Columns.Where((_, i) => kept.Contains(i)).ToList();
        var omitted = table.Columns.Where((_, i) => !kept.Contains(i)).ToList();
        return (shown, omitted);
    }

    /// <summary>The characters the whole table needs on one line.</summary>
    public static int Width(ComparisonTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return 1 + Widths(table).Sum(w => w + ColumnOverhead);
    }

    private static List<int> Widths(ComparisonTable table) =>
        [.. table.Columns.Select((column, i) => Math.Max(column.Header.Length, table.Rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max()))];

    private static IEnumerable<int> Priority(ComparisonTable table, string? sortKey)
    {
        var keys = table.Columns.Select(c => c.Key).ToList();
        var settings = new HashSet<string>(s_settingsByPriority, StringComparer.Ordinal) { "name", "eval-loss" };
        IEnumerable<string> order = ["name"];
        if (sortKey is not null)
        {
            order = order.Append(keys.First(k => string.Equals(k, sortKey, StringComparison.OrdinalIgnoreCase)));
        }

        order = order
            .Concat(keys.Where(k => !settings.Contains(k)))
            .Append("eval-loss")
            .Concat(s_settingsByPriority);
        return order.Distinct(StringComparer.Ordinal).Select(k => keys.IndexOf(k)).Where(i => i >= 0);
    }
}
