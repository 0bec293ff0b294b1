using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Cli.Commands;

/// <summary>The checks on a command's <c>--output</c> folder before anything is written into it.</summary>
internal static class OutputFolderCheck
{
    /// <summary>Refuses an output that would destroy an input or, without <c>--force</c>, anything already there.</summary>
    public static void Check(string output, string[] inputs, bool force, string command)
    {
        foreach (var input in inputs)
        {
            var relative = Path.GetRelativePath(output, input);
            if (relative == "." || !(relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)))
            {
                throw new LoraException(
                    CliErrorCodes.OutputOverlapsInput,
                    $"The output folder is or contains '{input}', which the {command} reads; choose another --output.",
                    output);
            }
        }

        if (File.Exists(output))
        {
            throw new LoraException(CliErrorCodes.OutputNotEmpty, "The output path is a file; choose a folder for --output.", output);
        }

        if (!force && Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new LoraException(CliErrorCodes.OutputNotEmpty, "The output folder is not empty; pass --force to replace it.", output);
        }
    }
}
