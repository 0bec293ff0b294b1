using Spectre.Console;

namespace LoraBuild.Cli.Tests;

/// <summary>Runs <c>dotnet-lora</c> in process and captures what it prints.</summary>
internal static class CliRun
{
    private static readonly Lock s_consoleLock = new();

    public static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        lock (s_consoleLock)
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var previousError = Console.Error;
            var previousOut = Console.Out;
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
            });
            AnsiConsole.Profile.Width = 200;
            Console.SetError(error);
            Console.SetOut(output);
            try
            {
                var exitCode = CommandLine.Invoke(args, new System.CommandLine.InvocationConfiguration { Output = output, Error = error });
                return (exitCode, output.ToString(), error.ToString());
            }
            finally
            {
                Console.SetError(previousError);
                Console.SetOut(previousOut);
            }
        }
    }

    public static string RepositoryFile(params string[] parts)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LoraBuild.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine([directory?.FullName ?? throw new InvalidOperationException("Repository root not found."), .. parts]);
    }
}
