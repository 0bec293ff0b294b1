using System.Diagnostics;
using System.Text;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>
/// Builds real projects with <c>dotnet build</c>: training happens in the engine built from source, out of process.
/// One collection, so two builds never train side by side and each test's timing stays predictable.
/// </summary>
[Collection(nameof(BuildTests))]
public class BuildTests
{
    private const string EngineTrainCommand = "dotnet-lora.dll train ";

    [Fact]
    public void TrainsOnceThenIsUpToDateUntilAnInputChanges()
    {
        using var project = new MicroProject();

        var first = project.Build();
        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains("LoraBuild: Micro has not been trained yet; training.", first.Output, StringComparison.Ordinal);
        Assert.Contains(EngineTrainCommand, first.Output, StringComparison.Ordinal);
        Assert.Contains("Micro: step 2/2", first.Output, StringComparison.Ordinal);
        var fingerprint = TrainingManifestJson.ReadFile(Path.Combine(project.AdapterFolder, TrainingManifest.FileName)).Fingerprint;
        Assert.Contains($"LoraBuild: Micro trained (fingerprint {fingerprint[..12]}).", first.Output, StringComparison.Ordinal);
        Assert.Equal(
            ["adapter_config.json", "adapter_model.safetensors", "lorabuild.json", "loss_curve.png", "report.md", "training_history.json"],
            Directory.EnumerateFiles(project.OutputAdapterFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var trained = project.AdapterBytes();
        var writeTimes = Directory.EnumerateFiles(project.AdapterFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc);

        var second = project.Build();
        Assert.True(second.Succeeded, second.ToString());
        Assert.Contains($"LoraBuild: Micro is up to date (fingerprint {fingerprint[..12]}).", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("engine-info", second.Output, StringComparison.Ordinal);
        Assert.Equal(writeTimes, Directory.EnumerateFiles(project.AdapterFolder).ToDictionary(f => f, File.GetLastWriteTimeUtc));

        // Without the cached engine identity the task asks the engine once (engine-info), and still trains nothing.
        File.Delete(Path.Combine(project.Folder, "obj", "lora", "engine-runtime.json"));
        var asked = project.Build("-t:LoraTrain");
        Assert.True(asked.Succeeded, asked.ToString());
        Assert.Contains("asking the engine", asked.Output, StringComparison.Ordinal);
        Assert.Contains($"LoraBuild: Micro is up to date (fingerprint {fingerprint[..12]}).", asked.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, asked.Output, StringComparison.Ordinal);

        // A touch changes the file's time but not its bytes: the file is hashed again, the fingerprint is the same.
        File.SetLastWriteTimeUtc(project.TrainData, DateTime.UtcNow.AddMinutes(1));
        var touched = project.Build("-t:LoraTrain");
        Assert.True(touched.Succeeded, touched.ToString());
        Assert.Contains($"LoraBuild: Micro is up to date (fingerprint {fingerprint[..12]}).", touched.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, touched.Output, StringComparison.Ordinal);

        File.AppendAllText(project.TrainData, """{"instruction": "Classify the ticket.", "input": "Refund order 99.", "output": "billing"}""" + "\n");
        var dataChanged = project.Build("-t:LoraTrain");
        Assert.True(dataChanged.Succeeded, dataChanged.ToString());
        Assert.Contains("LoraBuild: Micro inputs changed", dataChanged.Output, StringComparison.Ordinal);
        Assert.Contains(EngineTrainCommand, dataChanged.Output, StringComparison.Ordinal);

        var rankChanged = project.Build("-t:LoraTrain", "-p:TestRank=4");
        Assert.True(rankChanged.Succeeded, rankChanged.ToString());
        Assert.Contains("LoraBuild: Micro inputs changed", rankChanged.Output, StringComparison.Ordinal);
        Assert.Equal(4, TrainingManifestJson.ReadFile(Path.Combine(project.AdapterFolder, TrainingManifest.FileName)).Spec.Rank);
        Assert.NotEqual(trained["adapter_model.safetensors"], project.AdapterBytes()["adapter_model.safetensors"]);

        // Skipping needs no engine at all: a missing one is no error.
        var skipped = project.Build("-t:LoraTrain", "-p:TestRank=8", "-p:LoraSkipTraining=true", "-p:LoraEnginePath=/nowhere/dotnet-lora.dll");
        Assert.True(skipped.Succeeded, skipped.ToString());
        Assert.Contains("LoraBuild: Micro training skipped (LoraSkipTraining)", skipped.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, skipped.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void BadMetadataIsAnErrorAtItsAttribute()
    {
        using var project = new MicroProject(adapterMetadata: "Dropout=\"lots\"\n                             Rnak=\"4\"");

        var result = project.Build("-t:LoraTrain");

        Assert.False(result.Succeeded);
        var line = project.LineOf("Dropout=\"lots\"");
        Assert.Matches($@"{Regex(project.ProjectFile)}\({line},\d+\): error LORA1150: LoraAdapter 'Micro': Dropout is 'lots'", result.Output);
        Assert.Matches($@"{Regex(project.ProjectFile)}\({line + 1},30\): warning LORA1157: LoraAdapter 'Micro' has metadata 'Rnak'", result.Output);
        Assert.DoesNotContain(EngineTrainCommand, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void SkippingTrainingWithoutAnAdapterFails()
    {
        using var project = new MicroProject();

        var result = project.Build("-t:LoraTrain", "-p:LoraSkipTraining=true");

        Assert.False(result.Succeeded);
        Assert.Matches($@"{Regex(project.ProjectFile)}\({project.LineOf("<LoraAdapter ")},\d+\): error LORA1156: LoraAdapter 'Micro': LoraSkipTraining is true", result.Output);
    }

    [Fact]
    public void AnEngineErrorBecomesABuildErrorAtTheDataLine()
    {
        using var project = new MicroProject();
        File.AppendAllText(project.TrainData, "{ not json\n");

        var result = project.Build("-t:LoraTrain");

        Assert.False(result.Succeeded);
        Assert.Matches(@"train\.jsonl\(7\): error LORA1102: ", result.Output);
        Assert.DoesNotContain("LORA5101", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.AdapterFolder));
    }

    [Fact]
    public void CancellingTheBuildStopsTheEngineAndKeepsTheOldAdapter()
    {
        using var project = new MicroProject();
        var first = project.Build("-t:LoraTrain");
        Assert.True(first.Succeeded, first.ToString());
        var before = project.AdapterBytes();

        var build = project.Start("-t:LoraTrain", "-p:TestRank=4", "-p:TestMaxSteps=100000", "-p:TestEpochs=100000");
        var read = BuildProcesses.ReadUntil(build, "Micro: step 1/");

        Assert.True(BuildProcesses.Engines(project).Count > 0, "the engine should be training now");
        Interrupt(build);

        var result = MicroProject.Finish(build, read);

        Assert.False(result.Succeeded, result.ToString());
        Assert.Empty(BuildProcesses.Engines(project));
        Assert.Equal(before, project.AdapterBytes());
    }

    [Fact]
    public void TwoBuildsOnOneMachineTrainOneAfterTheOther()
    {
        using var first = new MicroProject();
        using var second = new MicroProject();
        using var locks = new TempDirectory();
        var sharedLock = "-p:LoraTrainingLockFile=" + locks.File("training.lock");

        // A long training holds the lock; the second build must wait for it, and go on once the first one is cancelled.
        var firstBuild = first.Start("-t:LoraTrain", sharedLock, "-p:TestMaxSteps=100000", "-p:TestEpochs=100000");
        var firstRead = BuildProcesses.ReadUntil(firstBuild, "Micro: Hashing inputs");
        var secondBuild = second.Start("-t:LoraTrain", sharedLock);
        var secondRead = BuildProcesses.ReadUntil(secondBuild, "another training is running on this machine; waiting");
        Assert.False(secondBuild.HasExited);
        // The second engine has started and waits for the lock before it trains.
        Assert.DoesNotContain("Micro: step", secondRead.ToString(), StringComparison.Ordinal);

        Interrupt(firstBuild);
        var firstResult = MicroProject.Finish(firstBuild, firstRead);
        var secondResult = MicroProject.Finish(secondBuild, secondRead);

        Assert.False(firstResult.Succeeded, firstResult.ToString());
        Assert.True(secondResult.Succeeded, secondResult.ToString());
        Assert.Contains("LoraBuild: Micro trained", secondResult.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMultiNodeBuildOfThreeAdapterProjectsTrainsThemOneAtATime()
    {
        using var a = new MicroProject(name: "A");
        using var b = new MicroProject(name: "B");
        using var c = new MicroProject(name: "C");
        using var folder = new TempDirectory();
        MicroProject[] projects = [a, b, c];
        foreach (var project in projects)
        {
            Assert.True(project.Build("-t:Restore").Succeeded);
        }

        var traversal = folder.Write("all.proj", $"""
            <Project>
              <Target Name="Build">
                <MSBuild Projects="{string.Join(';', projects.Select(p => p.ProjectFile))}" Targets="LoraTrain" BuildInParallel="true" />
              </Target>
            </Project>
            """);

        // Two nodes, three projects: a training yields its node, so a waiting project may land on it; waiting yields
        // too, or the trainer could never get its node back.
        var start = new ProcessStartInfo("dotnet", ["build", traversal, "-m:2", "-nologo", "-v:n", "-tl:off", "-nodeReuse:false", "-p:LoraTrainingLockFile=" + folder.File("training.lock")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var reading = process.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            await Task.Delay(50);
        }

        var exited = process.HasExited;
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        var output = await reading;
        Assert.True(exited, "the build hung: " + output);
        Assert.True(process.ExitCode == 0, output);
        Assert.All(projects, p => Assert.Contains($"LoraBuild: {p.Name} trained", output, StringComparison.Ordinal));
        // One at a time: from a training's first progress line to its end, no other adapter's engine reports a step.
        var lines = output.Split('\n');
        foreach (var project in projects)
        {
            var first = Array.FindIndex(lines, line => line.Contains($"{project.Name}: step", StringComparison.Ordinal));
            var last = Array.FindIndex(lines, line => line.Contains($"LoraBuild: {project.Name} trained", StringComparison.Ordinal));
            Assert.InRange(first, 0, last);
            var others = projects.Where(other => other != project).Select(other => $"{other.Name}: step").ToList();
            Assert.DoesNotContain(lines[first..last], line => others.Any(other => line.Contains(other, StringComparison.Ordinal)));
        }
    }

    /// <summary>What Ctrl+C does: SIGINT to the build, which cancels its tasks.</summary>
    private static void Interrupt(Process build)
    {
        using var kill = Process.Start("kill", ["-INT", build.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
