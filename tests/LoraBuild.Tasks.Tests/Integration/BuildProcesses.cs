using System.Diagnostics;
using System.Text;

namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>Watching a running build: its output up to a line, and the engine processes it started.</summary>
internal static class BuildProcesses
{
    public static StringBuilder ReadUntil(Process build, string text)
    {
        var read = new StringBuilder();
        var clock = Stopwatch.StartNew();
        while (build.StandardOutput.ReadLine() is { } line)
        {
            read.AppendLine(line);
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return read;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), read.ToString());
        }

        Assert.Fail($"The build ended before printing '{text}':\n{read}");
        return read;
    }

    /// <summary>Engine processes training this project's job (their command line names its folder).</summary>
    public static List<int> Engines(MicroProject project) =>
    [
        .. Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _)).Select(int.Parse!).Where(pid =>
        {
            try
            {
                var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
                return commandLine.Contains("dotnet-lora.dll", StringComparison.Ordinal) && commandLine.Contains(project.Folder, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                return false;
            }
        }),
    ];

}
