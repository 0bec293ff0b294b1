using System.Diagnostics;
using LoraBuild.Core.Comparison;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>Experiments as builds: several adapters on shared data in one project, seed studies, and <c>compare</c> over the result.</summary>
[Collection(nameof(BuildTests))]
public class ExperimentsBuildTests
{
    private const string EngineTrainCommand = "dotnet-lora.dll train ";

    [Fact]
    public void TwoAdaptersOnSharedDataTrainOnceAndCompareListsBoth()
    {
        using var project = new MicroProject(extraItems: """
            <LoraAdapter Include="MicroAllLinear" Rank="$(TestRank)" Alpha="4" TargetModules="all-linear" MaxSteps="$(TestMaxSteps)" BatchSize="2" MaxSequenceLength="192" />
            """);

        var first = project.Build();
        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains("LoraBuild: Micro trained", first.Output, StringComparison.Ordinal);
        Assert.Contains("LoraBuild: MicroAllLinear trained", first.Output, StringComparison.Ordinal);

        var second = project.Build();
        Assert.True(second.Succeeded, second.ToString());
        Assert.Contains("LoraBuild: Micro is up to date", second.Output, StringComparison.Ordinal);
        Assert.Contains("LoraBuild: MicroAllLinear is up to date", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, second.Output, StringComparison.Ordinal);

        var table = Path.Combine(project.Folder, "table.md");
        var (exitCode, output) = Engine("compare", project.Folder, "--output", table, "--sort", "params");
        Assert.True(exitCode == 0, output);
        Assert.Contains("MicroAllLinear", output, StringComparison.Ordinal);
        var lines = File.ReadAllLines(table);
        Assert.Equal(4, lines.Length);
        // q,v-only trains fewer parameters than all-linear at the same rank, so it sorts first.
        Assert.StartsWith("| Micro | q_proj,v_proj | 2 | 4 |", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("| MicroAllLinear | all-linear | 2 | 4 |", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void ExtraSeedsTrainOnceEachAndTheirSummaryFollowsTheSeedsMetadata()
    {
        using var project = new MicroProject(
            adapterMetadata: "Seeds=\"$(TestSeeds)\" EvalMaxNewTokens=\"4\"",
            extraItems: """<LoraEval Include="data/eval.jsonl" Metric="exact-match" />""");
        File.WriteAllText(Path.Combine(project.Folder, "data", "eval.jsonl"), """
            {"instruction": "Classify the ticket.", "input": "Order 7 arrived late.", "output": "shipping"}
            {"instruction": "Classify the ticket.", "input": "Refund order 8.", "output": "billing"}

            """);
        var seedFolder = Path.Combine(project.Folder, "obj", "lora", "seeds", "Micro", "seed-43");
        var summaryFile = Path.Combine(project.AdapterFolder, SeedRuns.SummaryFileName);

        var first = project.Build("-p:TestSeeds=2");
        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains("LoraBuild: Micro seed 43 has not been trained yet; training.", first.Output, StringComparison.Ordinal);
        Assert.Contains("LoraBuild: Micro over 2 seeds (42, 43)", first.Output, StringComparison.Ordinal);
        Assert.Contains("eval.after.exact_match", first.Output, StringComparison.Ordinal);
        Assert.Equal(43, TrainingManifestJson.ReadFile(Path.Combine(seedFolder, TrainingManifest.FileName)).Spec.Seed);
        Assert.Equal(42, TrainingManifestJson.ReadFile(Path.Combine(project.AdapterFolder, TrainingManifest.FileName)).Spec.Seed);
        var summary = File.ReadAllText(summaryFile);
        Assert.Contains("\"seed\": 43", summary, StringComparison.Ordinal);
        Assert.Contains("\"eval.after.exact_match\": {\n      \"n\": 2,", summary, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(project.OutputAdapterFolder, SeedRuns.SummaryFileName)));
        var written = File.GetLastWriteTimeUtc(summaryFile);

        var second = project.Build("-t:LoraTrain", "-p:TestSeeds=2");
        Assert.True(second.Succeeded, second.ToString());
        Assert.Contains("LoraBuild: Micro seed 43 is up to date", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, second.Output, StringComparison.Ordinal);
        Assert.Equal(summary, File.ReadAllText(summaryFile));
        Assert.Equal(written, File.GetLastWriteTimeUtc(summaryFile));

        var single = project.Build("-t:LoraTrain");
        Assert.True(single.Succeeded, single.ToString());
        Assert.DoesNotContain(EngineTrainCommand, single.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(summaryFile));
    }

    /// <summary>Runs the engine built from source, as a user runs <c>dotnet lora</c>.</summary>
    private static (int ExitCode, string Output) Engine(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Repository.Engine }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
