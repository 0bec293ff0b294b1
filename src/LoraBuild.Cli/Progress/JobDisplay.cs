using LoraBuild.Engine.Jobs;
using Spectre.Console;

namespace LoraBuild.Cli.Progress;

/// <summary>How a long job shows its progress: a live display in a terminal, plain lines in a log or a pipe.</summary>
internal static class JobDisplay
{
    public static T Run<T>(Func<ITrainingJobObserver, T> job) =>
        AnsiConsole.Profile.Capabilities.Interactive ? BarProgressObserver.Show(AnsiConsole.Console, job) : job(new LineProgressObserver());
}
