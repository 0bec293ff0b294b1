using System.Text.Json;
using LoraBuild.Core.Comparison;
using LoraBuild.Core.Manifests;
using LoraBuild.Engine.Tests.Jobs;

namespace LoraBuild.Cli.Tests.Commands;

public class SeedTrainingTests
{
    [Fact]
    public void TrainingUnderTwoSeedsWritesBothAdaptersAndTheirSummary()
    {
        using var project = new TinyProject();
        var output = project.Output("study");

        var (exitCode, printed, error) = CliRun.Invoke("train", project.Directory, "--output", output, "--seeds", "2", "--max-steps", "1");

        Assert.True(exitCode == 0, error);
        Assert.Equal(5, TrainingManifestJson.ReadFile(Path.Combine(output, "seed-5", TrainingManifest.FileName)).Spec.Seed);
        Assert.Equal(6, TrainingManifestJson.ReadFile(Path.Combine(output, "seed-6", TrainingManifest.FileName)).Spec.Seed);
        Assert.True(File.Exists(Path.Combine(output, "seed-6", "adapter_model.safetensors")));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, SeedRuns.SummaryFileName)));
        Assert.Equal([5, 6], summary.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("seed").GetInt32()));
        var exactMatch = summary.RootElement.GetProperty("metrics").GetProperty("eval.after.exact_match");
        Assert.Equal(2, exactMatch.GetProperty("n").GetInt32());
        Assert.DoesNotContain("wall_seconds", File.ReadAllText(Path.Combine(output, SeedRuns.SummaryFileName)), StringComparison.Ordinal);
        Assert.Contains("eval.after.exact_match", printed, StringComparison.Ordinal);
        Assert.Contains("mean ± std  (min … max)", printed, StringComparison.Ordinal);
        Assert.Contains("Tiny over 2 seeds (5, 6)", printed, StringComparison.Ordinal);

        var (compared, table, compareError) = CliRun.Invoke("compare", output, "--output", project.Output("table.md"));

        Assert.True(compared == 0, compareError);
        Assert.Contains("Tiny (seed-5)", table, StringComparison.Ordinal);
        var markdown = File.ReadAllLines(project.Output("table.md"));
        Assert.Equal(4, markdown.Length);
        Assert.StartsWith("| Tiny (seed-5) | q_proj,v_proj | 4 | 8 | adamw | cosine | 2 |", markdown[2], StringComparison.Ordinal);
        Assert.StartsWith("| Tiny (seed-6) |", markdown[3], StringComparison.Ordinal);
    }

    [Fact]
    public void OneSeedIsRefusedBeforeAnyTraining()
    {
        using var project = new TinyProject();

        var (exitCode, _, error) = CliRun.Invoke("train", project.Directory, "--output", project.Output(), "--seeds", "1");

        Assert.Equal(1, exitCode);
        Assert.Contains("error LORA1390:", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(project.Output()));
    }
}
