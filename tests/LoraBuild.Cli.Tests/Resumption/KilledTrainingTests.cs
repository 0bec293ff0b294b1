using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Tests.Jobs;
using Xunit.Abstractions;

namespace LoraBuild.Cli.Tests.Resumption;

/// <summary>
/// <c>dotnet lora train</c> killed with SIGKILL at several points — in a step, while a checkpoint is being written, and
/// twice in one run — then run again: it says it resumes, and the adapter is byte-identical to an uninterrupted run's.
/// </summary>
public sealed class KilledTrainingTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    private readonly TinyProject _project = new("\"epochs\": 4");

    [Fact]
    public void AKilledTrainingResumesAndWritesTheSameBytesAsAnUninterruptedOne()
    {
        Assert.Equal(0, Train("uninterrupted", kill: null).ExitCode);
        var expected = File.ReadAllBytes(Path.Combine(_project.Output("uninterrupted"), "adapter_model.safetensors"));
        Assert.False(Directory.Exists(new CheckpointFolder(_project.Output("uninterrupted")).FullPath));

        // In a step: right after the checkpoint of step 3 is saved, step 4 is running.
        AssertKilledThenResumed("in-step", [line => line.Contains("checkpoint saved after step 3", StringComparison.Ordinal)], expected);

        // Twice: after step 2, and after step 7 of the resumed run.
        AssertKilledThenResumed(
            "twice",
            [
                line => line.Contains("checkpoint saved after step 2", StringComparison.Ordinal),
                line => line.Contains("checkpoint saved after step 7", StringComparison.Ordinal),
            ],
            expected);
    }

    [Fact]
    public void AKillWhileACheckpointIsWrittenLeavesARunThatResumesToTheSameBytes()
    {
        Assert.Equal(0, Train("uninterrupted", kill: null).ExitCode);
        var expected = File.ReadAllBytes(Path.Combine(_project.Output("uninterrupted"), "adapter_model.safetensors"));
        var folder = new CheckpointFolder(_project.Output("mid-write"));
        var leftTemporaries = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // A checkpoint is written through two hidden temporary files (ours, then the atomic writer's); the watcher
            // sees the first one of the second checkpoint of this process appear and kills at once.
            Directory.CreateDirectory(folder.FullPath);
            using var watcher = new FileSystemWatcher(folder.FullPath, "*.tmp");
            EngineProcess? running = null;
            var created = 0;
            watcher.Created += (_, _) =>
            {
                if (Interlocked.Increment(ref created) == 3)
                {
                    running?.Kill();
                }
            };
            watcher.EnableRaisingEvents = true;
            running = Start("mid-write", onLine: null);
            running.WaitForExit(Limit);
            watcher.EnableRaisingEvents = false;
            Assert.True(running.Killed, $"attempt {attempt} was not killed:\n{running.Printed}");
            leftTemporaries += (Directory.EnumerateFiles(folder.FullPath, "*.tmp").Any() ? 1 : 0);
            running.Dispose();
        }

        var (exitCodeAfter, printed) = Train("mid-write", kill: null);

        output.WriteLine($"kills that left a half-written temporary file: {leftTemporaries}");
        Assert.True(exitCodeAfter == 0, printed);
        Assert.Contains("Resuming from the checkpoint at step", printed, StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(_project.Output("mid-write"), "adapter_model.safetensors")));
        Assert.False(Directory.Exists(folder.FullPath));
    }

    public void Dispose() => _project.Dispose();

    private void AssertKilledThenResumed(string name, Func<string, bool>[] killWhen, byte[] expected)
    {
        foreach (var when in killWhen)
        {
            var (exitCode, printed) = Train(name, when);
            Assert.True(exitCode != 0, $"the run was not killed:\n{printed}");
            Assert.False(File.Exists(Path.Combine(_project.Output(name), "adapter_model.safetensors")), "a killed run left an adapter");
            Assert.NotEmpty(new CheckpointFolder(_project.Output(name)).List());
        }

        var (finalExitCode, finalOutput) = Train(name, kill: null);
        output.WriteLine(finalOutput);
        Assert.True(finalExitCode == 0, finalOutput);
        Assert.Contains("Resuming from the checkpoint at step", finalOutput, StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(_project.Output(name), "adapter_model.safetensors")));
        Assert.False(Directory.Exists(new CheckpointFolder(_project.Output(name)).FullPath));
    }

    private (int ExitCode, string Printed) Train(string name, Func<string, bool>? kill)
    {
        using var process = Start(name, kill is null ? null : (line, running) =>
        {
            if (kill(line))
            {
                running.Kill();
            }
        });
        var exitCode = process.WaitForExit(Limit);
        return (exitCode, process.Printed);
    }

    private EngineProcess Start(string name, Action<string, EngineProcess>? onLine) => EngineProcess.Start(
        _project.Directory,
        [
            "train", _project.SpecFile, "--output", _project.Output(name), "--checkpoint-steps", "1", "--checkpoint-minutes", "0",
            "--lock-file", Path.Combine(_project.Directory, "training.lock"),
        ],
        onLine);
}
