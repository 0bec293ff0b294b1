using Spectre.Console;

namespace LoraBuild.Cli.Commands;

/// <summary>Prints warnings in yellow on standard error, where they cannot mix with a command's output.</summary>
internal static class WarningPrinter
{
    public static void Print(IEnumerable<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(warnings);
        var error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        foreach (var warning in warnings)
        {
            error.MarkupLine($"[yellow]warning: {Markup.Escape(warning)}[/]");
        }
    }
}
