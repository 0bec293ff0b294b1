using LoraBuild.Engine.Resumption;

namespace LoraBuild.Cli.Commands;

/// <summary>The last line of a cancelled training: what is on disk, and whether the next run picks up from it.</summary>
internal static class CancelledRun
{
    public static string Describe(string outputDirectory)
    {
        var unchanged = $"{outputDirectory} was not changed.";
        var checkpoints = new CheckpointFolder(outputDirectory).List();
        if (checkpoints.Count == 0)
        {
            return unchanged + " No checkpoint was saved, so the next run starts from step 0.";
        }

        var last = checkpoints.MaxBy(c => c.Step)!;
        return unchanged + $" The checkpoint at step {last.Step} is kept: the next run with the same inputs resumes from it.";
    }
}
