using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Packaging;
using LoraBuild.Engine.Tests.Jobs;

namespace LoraBuild.Cli.Tests.Commands;

public class EvalCommandTests
{
    [Fact]
    public void EvaluatingATrainedProjectWritesOutputsReportAndChartsAndPrintsEveryMetric()
    {
        using var project = new TinyProject();
        var train = CliRun.Invoke("train", project.Directory, "--max-steps", "3");
        Assert.True(train.ExitCode == 0, train.Error);

        var (exitCode, output, error) = CliRun.Invoke("eval", project.Directory, "--output", project.Output("eval1"));
        var again = CliRun.Invoke("eval", project.Directory, "-o", project.Output("eval2"));

        Assert.True(exitCode == 0, error);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("held-out metrics", output, StringComparison.Ordinal);
        Assert.Matches(@"exact_match +│ +[0-9.]+ │ +→ [0-9.]+ │", output);
        Assert.Matches(@"perplexity +│ +[0-9.]+ │ +→ [0-9.]+ │", output);
        Assert.Contains($"Wrote {EvalOutputs.FileName}, {AdapterPackageLayout.LossCurveFileName}, {AdapterPackageLayout.MetricsChartFileName}, {AdapterPackageLayout.ReportFileName}", output, StringComparison.Ordinal);
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(project.Output("eval1"), EvalOutputs.FileName)),
            File.ReadAllBytes(Path.Combine(project.Output("eval2"), EvalOutputs.FileName)));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(project.Output("eval1"), AdapterPackageLayout.MetricsChartFileName)),
            File.ReadAllBytes(Path.Combine(project.Output("eval2"), AdapterPackageLayout.MetricsChartFileName)));
    }

    [Fact]
    public void OtherDataAndMetricsCanBeNamedAndAnAdapterWithoutHistoryGetsNoLossCurve()
    {
        using var project = new TinyProject();
        Assert.Equal(0, CliRun.Invoke("train", project.SpecFile, "-o", project.Output(), "--max-steps", "1").ExitCode);
        File.Delete(Path.Combine(project.Output(), AdapterPackageLayout.HistoryFileName));
        var data = Path.Combine(project.Directory, "more.jsonl");
        File.WriteAllLines(data, File.ReadAllLines(project.EvalData).Take(2));

        var (exitCode, output, error) = CliRun.Invoke(
            "eval", project.Output(), "--data", data, "--metric", "contains", "rouge-l", "--max-new-tokens", "2", "-o", project.Output("eval"));

        Assert.True(exitCode == 0, error);
        Assert.Contains("No loss curve", output, StringComparison.Ordinal);
        Assert.Matches(@"rouge_l +│", output);
        Assert.Matches(@"contains +│", output);
        Assert.False(File.Exists(Path.Combine(project.Output("eval"), AdapterPackageLayout.LossCurveFileName)));
        var outputs = EvalOutputsJson.ReadFile(Path.Combine(project.Output("eval"), EvalOutputs.FileName));
        Assert.Equal(["contains", "rouge-l"], outputs.Metrics);
        Assert.Equal(2, outputs.Samples.Count);
        Assert.Contains("no loss curve", File.ReadAllText(Path.Combine(project.Output("eval"), AdapterPackageLayout.ReportFileName)), StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdapterTrainedOutsideItsProjectIsEvaluatedOnItsOwnDataFoundByHash()
    {
        // The repository's layout: a spec in examples/<name>/ trained from the root into out/<name>, evaluated from the root.
        using var project = new TinyProject();
        var root = Directory.CreateTempSubdirectory("lorabuild-repository-").FullName;
        try
        {
            EvaluateFromTheRoot(project, root);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void EvaluateFromTheRoot(TinyProject project, string root)
    {
        foreach (var (name, evalRecords) in new[] { ("A-decoy", 1), ("Tiny", 3) })
        {
            var folder = Path.Combine(root, "examples", name);
            Directory.CreateDirectory(Path.Combine(folder, "data"));
            File.Copy(project.SpecFile, Path.Combine(folder, "lora.json"));
            File.Copy(project.TrainData, Path.Combine(folder, "data", "train.jsonl"));
            File.WriteAllLines(Path.Combine(folder, "data", "eval.jsonl"), File.ReadAllLines(project.EvalData).Take(evalRecords));
        }

        var trained = EngineProcess.Run(root, ["train", "examples/Tiny", "--output", "out/Tiny", "--max-steps", "2"]);
        Assert.True(trained.ExitCode == 0, trained.Output);
        var (exitCode, output) = EngineProcess.Run(root, ["eval", "out/Tiny", "-o", "out/eval"]);

        Assert.True(exitCode == 0, output);
        var evaluated = EvalOutputsJson.ReadFile(Path.Combine(root, "out", "eval", EvalOutputs.FileName));
        Assert.Equal(3, evaluated.Samples.Count); // examples/Tiny's eval data, not the decoy's one record that sorts first
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(root, "out", "Tiny", EvalOutputs.FileName)),
            File.ReadAllBytes(Path.Combine(root, "out", "eval", EvalOutputs.FileName)));
    }

    [Fact]
    public void MissingThingsAreCodedErrors()
    {
        using var project = new TinyProject();

        var untrained = CliRun.Invoke("eval", project.Directory);
        var nowhere = CliRun.Invoke("eval", Path.Combine(project.Directory, "nope"));

        Assert.Equal(1, untrained.ExitCode);
        Assert.Contains("error LORA1351", untrained.Error, StringComparison.Ordinal);
        Assert.Equal(1, nowhere.ExitCode);
        Assert.Contains("error LORA1350", nowhere.Error, StringComparison.Ordinal);

        Assert.Equal(0, CliRun.Invoke("train", project.Directory, "--max-steps", "1").ExitCode);
        var badModel = CliRun.Invoke("eval", project.Directory, "--model", project.Directory);
        var badData = CliRun.Invoke("eval", project.Directory, "--data", "missing.jsonl");

        Assert.Contains("error LORA1352", badModel.Error, StringComparison.Ordinal);
        Assert.Contains("error LORA1353", badData.Error, StringComparison.Ordinal);
    }
}
