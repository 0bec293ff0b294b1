using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Tests.Jobs;
using Xunit.Abstractions;

namespace LoraBuild.Cli.Tests;

/// <summary>
/// Ctrl+C (SIGINT) during <c>dotnet lora train</c>: the run says it is stopping, saves a checkpoint at the step it
/// reached, ends with one "Cancelled." line saying what is on disk and exit code 130, and the next run resumes from that
/// step to the bytes an uninterrupted run writes.
/// </summary>
public sealed class ConsoleInterruptionTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(3);

    // Enough steps (600) that the signal sent at the first step line arrives long before the last one.
    private readonly TinyProject _project = new("\"epochs\": 200");

    [Fact]
    public void CtrlCStopsTrainingAfterAStepSavesItAndTheNextRunResumesToTheSameBytes()
    {
        var (exitCode, uninterrupted) = Train("uninterrupted", interruptOnFirstStep: false);
        Assert.True(exitCode == 0, uninterrupted);
        var expected = File.ReadAllBytes(Path.Combine(_project.Output("uninterrupted"), "adapter_model.safetensors"));

        var (interruptedExit, printed) = Train("interrupted", interruptOnFirstStep: true);
        output.WriteLine(printed);

        Assert.Equal(ConsoleInterruption.ExitCode, interruptedExit);
        Assert.Contains("Stopping (Ctrl+C) after the current step; Ctrl+C again stops at once.", printed, StringComparison.Ordinal);
        var saved = Assert.Single(new CheckpointFolder(_project.Output("interrupted")).List());
        Assert.InRange(saved.Step, 1, 599);
        Assert.Contains($"checkpoint saved after step {saved.Step} ", printed, StringComparison.Ordinal);
        var lastLine = printed.TrimEnd().Split('\n')[^1].TrimEnd('\r');
        Assert.Equal(
            $"Cancelled. {_project.Output("interrupted")} was not changed. The checkpoint at step {saved.Step} is kept: the next run with the same inputs resumes from it.",
            lastLine);
        Assert.DoesNotContain("   at ", printed, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_project.Output("interrupted")));

        var (resumedExit, resumed) = Train("interrupted", interruptOnFirstStep: false);
        Assert.True(resumedExit == 0, resumed);
        Assert.Contains($"Resuming from the checkpoint at step {saved.Step} of 600", resumed, StringComparison.Ordinal);
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(_project.Output("interrupted"), "adapter_model.safetensors")));
    }

    public void Dispose() => _project.Dispose();

    private (int ExitCode, string Printed) Train(string name, bool interruptOnFirstStep)
    {
        var interrupted = 0;
        using var process = EngineProcess.Start(
            _project.Directory,
            [
                "train", _project.SpecFile, "--output", _project.Output(name), "--checkpoint-steps", "0", "--checkpoint-minutes", "60",
                "--lock-file", Path.Combine(_project.Directory, "training.lock"),
            ],
            (line, running) =>
            {
                if (interruptOnFirstStep && line.Contains("step 1/", StringComparison.Ordinal) && Interlocked.Exchange(ref interrupted, 1) == 0)
                {
                    running.Interrupt();
                }
            });
        var exitCode = process.WaitForExit(s_limit);
        return (exitCode, process.Printed);
    }
}
