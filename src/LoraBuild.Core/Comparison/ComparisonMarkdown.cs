using System.Text;

namespace LoraBuild.Core.Comparison;

/// <summary>A <see cref="ComparisonTable"/> as a GitHub-flavoured Markdown table: numeric columns right-aligned, '|' escaped, LF line ends.</summary>
public static class ComparisonMarkdown
{
    public static string Render(ComparisonTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        AppendRow(text, table.Columns.Select(c => c.Header));
        AppendRow(text, table.Columns.Select(c => c.Numeric ? "---:" : "---"));
        foreach (var row in table.Rows)
        {
            AppendRow(text, row);
        }

        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IEnumerable<string> cells) =>
        text.Append("| ").AppendJoin(" | ", cells.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
}
