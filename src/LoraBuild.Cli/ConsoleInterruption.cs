using System.Runtime.InteropServices;
using Spectre.Console;

namespace LoraBuild.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for one command. A command that takes a cancellation token is asked to stop: the first
/// signal cancels <see cref="Token"/> and says so, the command stops at its next check (between two training steps,
/// two evaluated samples, two hashed MiB) and prints its last line; a second Ctrl+C ends the process at once. A command
/// without a token cannot stop cleanly, so the first signal ends it at once, saying that it did.
/// </summary>
/// <remarks>
/// System.CommandLine 2.0.0 registers no handler of its own (its <c>ProcessTerminationTimeout</c> is null), so without
/// this class Ctrl+C killed the process before anything could be printed.
/// </remarks>
internal sealed class ConsoleInterruption : IDisposable
{
    /// <summary>The exit code of a process stopped by SIGINT, as shells report it (128 + 2).</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource _source = new();
    private readonly TextWriter _error;
    private readonly bool _cancellable;
    private readonly PosixSignalRegistration? _terminate;
    private int _signals;

    private ConsoleInterruption(bool cancellable, TextWriter error)
    {
        _cancellable = cancellable;
        _error = error;
        Console.CancelKeyPress += OnCancelKeyPress;
        if (!OperatingSystem.IsWindows())
        {
            _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
        }
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _source.Token;

    /// <param name="cancellable">Whether the command observes <see cref="Token"/>.</param>
    /// <param name="error">Where the messages go (standard error: they must reach a terminal even when output is piped).</param>
    public static ConsoleInterruption Install(bool cancellable, TextWriter error) => new(cancellable, error);

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _terminate?.Dispose();
        _source.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = Interrupt("Ctrl+C");

    private void OnTerminate(PosixSignalContext context) => context.Cancel = Interrupt("SIGTERM");

    /// <returns>Whether the process goes on (to stop by itself); false lets the signal end it now.</returns>
    private bool Interrupt(string signal)
    {
        var count = Interlocked.Increment(ref _signals);
        if (!_cancellable)
        {
            Say($"Cancelled ({signal}).");
            return false;
        }

        if (count > 1)
        {
            Say($"Stopped at once ({signal} again).");
            return false;
        }

        Say($"Stopping ({signal}) after the current step; Ctrl+C again stops at once.");
        _source.Cancel();
        return true;
    }

    /// <summary>In a terminal through Spectre, so that the line lands above a live progress display instead of inside it.</summary>
    private void Say(string message)
    {
        if (ReferenceEquals(_error, Console.Error) && AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(message)}[/]");
        }
        else
        {
            _error.WriteLine(message);
        }
    }
}
