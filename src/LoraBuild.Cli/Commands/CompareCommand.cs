using System.CommandLine;
using LoraBuild.Core.Comparison;
using LoraBuild.Core.IO;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora compare</c>: one table of the adapters found under the given folders (a project folder means the
/// adapters its build trained), fitted to the terminal, or as Markdown, CSV or JSON on the console or in a file.
/// </summary>
internal static class CompareCommand
{
    private static readonly string[] s_formats = ["table", "markdown", "csv", "json"];

    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Adapter folders, project folders (their obj/lora/adapters/*), or folders to search for adapters. Default: the current folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Also write the whole table to this file, as --format says or else by its extension (.csv, .json; Markdown otherwise)." };
        var format = new Option<string?>("--format", "-f")
        {
            Description = "table (the default: fitted to the terminal, naming the columns left out), or markdown, csv or json (every column, printed, or written with --output).",
        };
        format.AcceptOnlyFromAmong(s_formats);
        var sort = new Option<string?>("--sort") { Description = "Order rows by this column (name, targets, r, alpha, optimizer, scheduler, epochs, params, wall, tokens-per-second, memory, train-loss, eval-loss, or an eval metric such as exact_match); default: by name." };
        var descending = new Option<bool>("--descending") { Description = "Sort descending (missing values stay last)." };
        var command = new Command("compare", "Compare trained adapters: settings, cost and metrics in one table.") { paths, output, format, sort, descending };
        command.SetAction(parse => CommandRunner.Run(() => Run(
            parse.GetValue(paths) is { Length: > 0 } given ? given : ["."],
            parse.GetValue(output),
            parse.GetValue(format),
            parse.GetValue(sort),
            parse.GetValue(descending))));
        return command;
    }

    private static int Run(string[] paths, string? output, string? format, string? sort, bool descending)
    {
        var adapters = AdapterFolders.Find(paths).Select(ComparedAdapter.Read).ToList();
        var table = ComparisonTable.Create(adapters, sort, descending);
        if (output is not null)
        {
            var file = Path.GetFullPath(output);
            AtomicFile.WriteAllText(file, Render(table, format is null or "table" ? FormatOf(file) : format));
            Console.WriteLine($"Wrote {file}");
            if (format is null or "table")
            {
                WriteTable(table, sort);
            }

            return 0;
        }

        if (format is null or "table")
        {
            WriteTable(table, sort);
        }
        else
        {
            Console.Write(Render(table, format));
        }

        return 0;
    }

    private static string FormatOf(string file) => Path.GetExtension(file).ToLowerInvariant() switch
    {
        ".csv" => "csv",
        ".json" => "json",
        _ => "markdown",
    };

    private static string Render(ComparisonTable table, string format) => format switch
    {
        "csv" => ComparisonCsv.Render(table),
        "json" => ComparisonJson.Render(table),
        _ => ComparisonMarkdown.Render(table),
    };

    private static void WriteTable(ComparisonTable table, string? sort)
    {
        // A log or a pipe has no width of its own: it gets every column, on lines as long as they need.
        var (shown, omitted) = Console.IsOutputRedirected
            ? (table.Columns, [])
            : ComparisonFit.Columns(table, AnsiConsole.Profile.Width, sort);
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, ComparisonFit.Width(table));
        }

        var rendered = new Table();
        foreach (var column in shown)
        {
            rendered.AddColumn(new TableColumn(Markup.Escape(column.Header)) { Alignment = column.Numeric ? Justify.Right : Justify.Left, NoWrap = true });
        }

        var indexes = shown.Select(column => table.Columns.ToList().IndexOf(column)).ToList();
        foreach (var row in table.Rows)
        {
            rendered.AddRow([.. indexes.Select(i => Markup.Escape(row[i]))]);
        }

        AnsiConsole.Write(rendered);
        if (omitted.Count > 0)
        {
            AnsiConsole.MarkupLine(Markup.Escape(
                $"{omitted.Count} column(s) do not fit {AnsiConsole.Profile.Width} characters: {string.Join(", ", omitted.Select(c => c.Header))}. "
                    + "See every column with --format markdown, csv or json, or --output FILE."));
        }
    }
}
