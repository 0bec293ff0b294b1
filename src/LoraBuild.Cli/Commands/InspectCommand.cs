using System.CommandLine;

namespace LoraBuild.Cli.Commands;

internal static class InspectCommand
{
    public static Command Create() => new("inspect", "Describe a model directory or config.json.");
}
