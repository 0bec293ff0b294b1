using LoraBuild.Engine.Resumption;

namespace LoraBuild.Cli.Commands;

/// <summary>The line every output format prints when a checkpoint is saved.</summary>
internal static class CheckpointLine
{
    public static string Describe(CheckpointFile checkpoint) => $"checkpoint saved after step {checkpoint.Step} ({checkpoint.Path})";
}
