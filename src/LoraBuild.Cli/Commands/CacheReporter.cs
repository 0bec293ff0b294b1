using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Cli.Commands;

/// <summary>Prints the training cache's messages and warnings as plain lines, or in MSBuild's canonical form for the build.</summary>
internal sealed class CacheReporter(bool msbuild, string? origin)
{
    public static void Info(string message) => Console.WriteLine(message);

    public void Warning(LoraException e)
    {
        if (msbuild)
        {
            Console.WriteLine(MsBuildFormat.Diagnostic("warning", e.Code, e.Message, e.Location, origin));
        }
        else
        {
            Console.Error.WriteLine($"{(e.Location is null ? string.Empty : e.Location + ": ")}warning {e.Code}: {e.Message}");
        }
    }

    public void Error(LoraException e)
    {
        if (msbuild)
        {
            Console.WriteLine(MsBuildFormat.Error(e, origin));
        }
        else
        {
            CommandRunner.Report(e);
        }
    }
}
