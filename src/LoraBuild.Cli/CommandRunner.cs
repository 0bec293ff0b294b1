using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Cli;

/// <summary>Runs a command body, turning <see cref="LoraException"/> into one coded error line and exit code 1.</summary>
internal static class CommandRunner
{
    public static int Run(Func<int> body) => Run(body, Report);

    /// <summary>Like <see cref="Run(Func{int})"/>, with a caller-chosen way to print the coded error.</summary>
    public static int Run(Func<int> body, Action<LoraException> report) => Run(body, report, () => null);

    /// <param name="cancelled">What the cancelled command left behind, for the last line (null: nothing to add).</param>
    public static int Run(Func<int> body, Action<LoraException> report, Func<string?> cancelled)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(cancelled);
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
            Console.Error.WriteLine(cancelled() is { } state ? $"Cancelled. {state}" : "Cancelled.");
            return ConsoleInterruption.ExitCode;
        }
    }

    public static void Report(LoraException e)
    {
        var location = e.Location is null ? string.Empty : $"{e.Location}: ";
        Console.Error.WriteLine($"{location}error {e.Code}: {e.Message}");
    }
}
