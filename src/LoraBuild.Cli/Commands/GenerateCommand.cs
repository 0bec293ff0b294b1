using System.CommandLine;

namespace LoraBuild.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create() => new("generate", "Generate text from a prompt.");
}
