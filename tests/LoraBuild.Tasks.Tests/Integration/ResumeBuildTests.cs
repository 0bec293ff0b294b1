using System.Diagnostics;
using System.Globalization;
using LoraBuild.Core.Training;

namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>A build whose training is killed (SIGKILL to the engine and the build) continues from its checkpoint in the next build.</summary>
public class ResumeBuildTests
{
    private const string AdapterFile = "adapter_model.safetensors";

    private static readonly string[] Settings = ["-t:LoraTrain", "-p:TestMaxSteps=30", "-p:TestEpochs=10", "-p:LoraCheckpointSteps=2"];

    [Fact]
    public void AKilledBuildResumesFromItsCheckpointAndTheAdapterIsByteIdentical()
    {
        using var reference = new MicroProject();
        using var project = new MicroProject();
        var uninterrupted = reference.Build(Settings);
        Assert.True(uninterrupted.Succeeded, uninterrupted.ToString());

        var build = project.Start(Settings);
        var read = BuildProcesses.ReadUntil(build, "Micro: checkpoint saved after step 4 ");
        KillEverything(project, build);
        var killed = MicroProject.Finish(build, read);
        Assert.False(killed.Succeeded, killed.ToString());
        Assert.False(File.Exists(Path.Combine(project.AdapterFolder, AdapterFile)));

        var resumed = project.Build(Settings);

        Assert.True(resumed.Succeeded, resumed.ToString());
        Assert.Matches(@"Micro: Resuming from the checkpoint at step (4|6|8|10) of 30", resumed.Output);
        Assert.Equal(reference.AdapterBytes()[AdapterFile], project.AdapterBytes()[AdapterFile]);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(project.AdapterFolder)!, ".Micro.checkpoints")));
    }

    [Fact]
    public void AnInvalidCheckpointSettingIsAnErrorAtTheProject()
    {
        using var project = new MicroProject();

        var result = project.Build("-t:LoraTrain", "-p:LoraCheckpointSteps=often");

        Assert.False(result.Succeeded, result.ToString());
        Assert.Contains($"error {CheckpointErrorCodes.SettingInvalid}: Checkpoint steps 'often'", result.Output, StringComparison.Ordinal);
    }

    /// <summary>What a preempted agent does to a build: SIGKILL to the engine and to the build, no handler runs.</summary>
    private static void KillEverything(MicroProject project, Process build)
    {
        foreach (var pid in BuildProcesses.Engines(project))
        {
            using var kill = Process.Start("kill", ["-KILL", pid.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        build.Kill(entireProcessTree: true);
    }
}
