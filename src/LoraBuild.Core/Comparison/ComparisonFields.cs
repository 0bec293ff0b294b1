namespace LoraBuild.Core.Comparison;

/// <summary>
/// A <see cref="ComparisonTable"/> as data rather than text, for CSV and JSON: the folder, then every column's raw value
/// (a number for numeric columns, null where missing; the cell text otherwise), with a change column split into
/// <c>&lt;key&gt;-before</c> and <c>&lt;key&gt;</c>.
/// </summary>
public static class ComparisonFields
{
    public const string FolderKey = "folder";

    public static IReadOnlyList<string> Keys(ComparisonTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var keys = new List<string> { FolderKey };
        foreach (var column in table.Columns)
        {
            if (column.ValueBefore is not null)
            {
                keys.Add(column.Key + "-before");
            }

            keys.Add(column.Key);
        }

        return keys;
    }

    /// <summary>One list per row, in <see cref="Keys"/> order: strings, doubles, or null.</summary>
    public static IReadOnlyList<IReadOnlyList<object?>> Rows(ComparisonTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.Adapters.Select(adapter =>
        {
            var row = new List<object?> { adapter.Folder };
            foreach (var column in table.Columns)
            {
                if (column.ValueBefore is { } before)
                {
                    row.Add(before(adapter));
                }

                row.Add(column.Numeric ? column.Value(adapter) : column.Text(adapter));
            }

            return (IReadOnlyList<object?>)row;
        })];
    }
}
