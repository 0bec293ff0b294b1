using System.Globalization;
using System.Text;

namespace LoraBuild.Core.Comparison;

/// <summary>A <see cref="ComparisonTable"/> as CSV (RFC 4180): a header of column keys, raw invariant numbers, empty where missing, CRLF line ends.</summary>
public static class ComparisonCsv
{
    public static string Render(ComparisonTable table)
    {
        var text = new StringBuilder();
        AppendRow(text, ComparisonFields.Keys(table));
        foreach (var row in ComparisonFields.Rows(table))
        {
            AppendRow(text, row.Select(Cell));
        }

        return text.ToString();
    }

    private static string Cell(object? value) => value switch
    {
        null => string.Empty,
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static void AppendRow(StringBuilder text, IEnumerable<string> cells) =>
        text.AppendJoin(',', cells.Select(Quoted)).Append("\r\n");

    private static string Quoted(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
