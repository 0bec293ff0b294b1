using System.CommandLine;
using LoraBuild.Core.Comparison;
using LoraBuild.Core.IO;
using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>dotnet lora compare</c>: one table of the adapters found under the given folders (a project folder means the
/// adapters its build trained), printed to the terminal and, with <c>--output</c>, written as Markdown.
/// </summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Adapter folders, project folders (their obj/lora/adapters/*), or folders to search for adapters. Default: the current folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Also write the table as Markdown to this file." };
        var sort = new Option<string?>("--sort") { Description = "Order rows by this column (name, targets, r, alpha, optimizer, scheduler, epochs, params, wall, tokens-per-second, memory, train-loss, eval-loss, or an eval metric such as exact_match); default: by name." };
        var descending = new Option<bool>("--descending") { Description = "Sort descending (missing values stay last)." };
        var command = new Command("compare", "Compare trained adapters: settings, cost and metrics in one table.") { paths, output, sort, descending };
        command.SetAction(parse => CommandRunner.Run(() => Run(
            parse.GetValue(paths) is { Length: > 0 } given ? given : ["."],
            parse.GetValue(output),
            parse.GetValue(sort),
            parse.GetValue(descending))));
        return command;
    }

    private static int Run(string[] paths, string? output, string? sort, bool descending)
    {
        var adapters = AdapterFolders.Find(paths).Select(ComparedAdapter.Read).ToList();
        var table = ComparisonTable.Create(adapters, sort, descending);
        var rendered = new Table();
        foreach (var column in table.Columns)
        {
            rendered.AddColumn(new TableColumn(Markup.Escape(column.Header)) { Alignment = column.Numeric ? Justify.Right : Justify.Left });
        }

        foreach (var row in table.Rows)
        {
            rendered.AddRow([.. row.Select(Markup.Escape)]);
        }

        if (Console.IsOutputRedirected)
        {
            // A log or a pipe has no width of its own; Spectre's default of 80 columns would wrap every cell of a wide table.
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 400);
        }

        AnsiConsole.Write(rendered);
        if (output is not null)
        {
            var file = Path.GetFullPath(output);
            AtomicFile.WriteAllText(file, ComparisonMarkdown.Render(table));
            Console.WriteLine($"Wrote {file}");
        }

        return 0;
    }
}
