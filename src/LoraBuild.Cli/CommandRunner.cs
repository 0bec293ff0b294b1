using LoraBuild.Core.Diagnostics;
using Spectre.Console;

namespace LoraBuild.Cli;

/// <summary>Runs a command body, turning <see cref="LoraException"/> into one coded error line and exit code 1.</summary>
internal static class CommandRunner
{
    public static int Run(Func<int> body) => Run(body, Report);

    /// <summary>Like <see cref="Run(Func{int})"/>, with a caller-chosen way to print the coded error.</summary>
    public static int Run(Func<int> body, Action<LoraException> report)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(report);
        try
        {
            return body();
        }
        catch (LoraException e)
        {
            report(e);
            return 1;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled.[/]");
            return 130;
        }
    }

    public static void Report(LoraException e)
    {
        var location = e.Location is null ? string.Empty : $"{e.Location}: ";
        Console.Error.WriteLine($"{location}error {e.Code}: {e.Message}");
    }
}
