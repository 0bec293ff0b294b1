using System.CommandLine;
using System.CommandLine.Invocation;
using LoraBuild.Cli.Commands;

namespace LoraBuild.Cli;

/// <summary>The <c>dotnet-lora</c> command tree.</summary>
internal static class CommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("LoraBuild: LoRA fine-tuning of language models as a reproducible .NET build step.");
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(GenerateCommand.Create());
        root.Subcommands.Add(MergeCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(PlanCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(EngineInfoCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; a command line that does not parse is one coded error line and exit code 1.</summary>
    public static int Invoke(string[] args, InvocationConfiguration? configuration = null)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            (configuration?.Error ?? Console.Error).WriteLine(CommandLineErrors.Describe(parse));
            return 1;
        }

        configuration ??= new InvocationConfiguration();
        configuration.ProcessTerminationTimeout = null; // ConsoleInterruption handles the signals instead
        var cancellable = parse.CommandResult.Command.Action is AsynchronousCommandLineAction;
        using var interruption = ConsoleInterruption.Install(cancellable, configuration.Error);
        return parse.InvokeAsync(configuration, interruption.Token).GetAwaiter().GetResult();
    }
}
