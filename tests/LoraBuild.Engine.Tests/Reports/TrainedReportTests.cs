using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Jobs;
using LoraBuild.Engine.Reports;
using LoraBuild.Engine.Tests.Jobs;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Reports;

public class TrainedReportTests
{
    [Fact]
    public void TrainingWritesTheHistoryTheReportAndBothChartsBesideTheAdapter()
    {
        using var project = new TinyProject();

        var manifest = TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), new QuietObserver());

        var output = project.Output();
        var history = TrainingHistoryJson.ReadFile(Path.Combine(output, TrainingHistoryFile.FileName));
        Assert.Equal(6, history.TotalSteps);
        Assert.Equal([1, 2, 3, 4, 5, 6], history.Steps.Select(s => s.Step));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], history.Eval.Select(e => e.Step));
        Assert.Equal(manifest.Metrics.Eval.Before["loss"], history.Eval[0].Loss);
        Assert.Equal(manifest.Metrics.Eval.After["loss"], history.Eval[^1].Loss);
        Assert.Equal(manifest.Metrics.Train["loss_first"], history.Steps[0].Loss);
        ReportChartsTests.AssertPng(File.ReadAllBytes(Path.Combine(output, AdapterPackageLayout.LossCurveFileName)));
        ReportChartsTests.AssertPng(File.ReadAllBytes(Path.Combine(output, AdapterPackageLayout.MetricsChartFileName)));
        var report = File.ReadAllText(Path.Combine(output, AdapterPackageLayout.ReportFileName));
        Assert.Contains("| exact_match |", report, StringComparison.Ordinal);
        Assert.Contains("](loss_curve.png)", report, StringComparison.Ordinal);
        Assert.DoesNotContain(project.Directory, report, StringComparison.Ordinal);
        Assert.DoesNotContain(project.BaseModelDirectory, report, StringComparison.Ordinal);
        Assert.DoesNotContain("wall_seconds", report, StringComparison.Ordinal);
        Assert.Equal(AdapterPackageLayout.ReportFiles, AdapterPackageLayout.ReportFilesIn(output));
    }

    [Fact]
    public void TheEvalPointsDoNotChangeTheWeightsAndARebuildWritesTheSameReportFiles()
    {
        using var project = new TinyProject();
        var spec = TrainingSpecJson.ReadFile(project.SpecFile);

        TrainingJob.Run(spec, project.Output("a"), new FileHashCache(null), new QuietObserver());
        TrainingJob.Run(spec, project.Output("b"), new FileHashCache(null), new QuietObserver(), evalIntervals: 0, CancellationToken.None);
        TrainingJob.Run(spec, project.Output("c"), new FileHashCache(null), new QuietObserver());

        Assert.Equal(Bytes(project.Output("a"), AdapterPackageLayout.WeightsFileName), Bytes(project.Output("b"), AdapterPackageLayout.WeightsFileName));
        Assert.Equal([0, 6], TrainingHistoryJson.ReadFile(Path.Combine(project.Output("b"), TrainingHistoryFile.FileName)).Eval.Select(e => e.Step));
        Assert.All(AdapterPackageLayout.ReportFiles, file => Assert.Equal(Bytes(project.Output("a"), file), Bytes(project.Output("c"), file)));
    }

    [Fact]
    public void RetrainingWithoutEvalDataLeavesNoReportFilesOfTheEarlierRunBehind()
    {
        using var project = new TinyProject();
        var spec = TrainingSpecJson.ReadFile(project.SpecFile) with { MaxSteps = 2 };
        TrainingJob.Run(spec, project.Output(), new FileHashCache(null), new QuietObserver());
        File.WriteAllText(Path.Combine(project.Output(), "NOTES.md"), "mine");

        TrainingJob.Run(spec with { EvalDatasets = [] }, project.Output(), new FileHashCache(null), new QuietObserver());

        var files = Directory.GetFiles(project.Output()).Select(Path.GetFileName).ToHashSet();
        Assert.Contains("NOTES.md", files);
        Assert.Contains(AdapterPackageLayout.LossCurveFileName, files);
        Assert.DoesNotContain(AdapterPackageLayout.MetricsChartFileName, files);
        Assert.DoesNotContain(EvalOutputs.FileName, files);
        Assert.Empty(TrainingHistoryJson.ReadFile(Path.Combine(project.Output(), TrainingHistoryFile.FileName)).Eval);
    }

    [Fact]
    public void EvaluatingTheTrainedAdapterGivesTheTrainingRunsOutputsByteForByte()
    {
        using var project = new TinyProject();
        TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), new QuietObserver());

        var target = EvalTarget.Resolve(new EvalRequest { Target = project.Directory, Adapter = project.Output() });
        var result = AdapterEvaluation.Run(target, new QuietObserver());
        var again = AdapterEvaluation.Run(EvalTarget.Resolve(new EvalRequest { Target = project.Output(), Output = project.Output("again") }), new QuietObserver());

        Assert.Equal(project.Output() + ".eval", target.OutputDirectory);
        Assert.Equal(
            [EvalOutputs.FileName, AdapterPackageLayout.LossCurveFileName, AdapterPackageLayout.MetricsChartFileName, AdapterPackageLayout.ReportFileName],
            result.Files);
        var trained = Bytes(project.Output(), EvalOutputs.FileName);
        Assert.Equal(trained, Bytes(target.OutputDirectory, EvalOutputs.FileName));
        Assert.Equal(trained, Bytes(project.Output("again"), EvalOutputs.FileName));
        var manifest = TrainingManifestJson.ReadFile(Path.Combine(project.Output(), TrainingManifest.FileName));
        Assert.Equal(manifest.Metrics.Eval.After["loss"], result.After["loss"], 5);
        Assert.Equal(manifest.Metrics.Eval.Before["exact_match"], result.Before["exact_match"]);
        Assert.Contains("Measured by `dotnet lora eval`.", File.ReadAllText(Path.Combine(target.OutputDirectory, AdapterPackageLayout.ReportFileName)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nf4")]
    [InlineData("int8")]
    public void EvaluatingAQuantizedAdapterLoadsTheBaseAsTrainingDidAndReproducesItsOutputs(string quantization)
    {
        using var project = new TinyProject();
        var manifest = TrainingJob.Run(
            TrainingSpecJson.ReadFile(project.SpecFile) with { Quantization = quantization, MaxSteps = 3 }, project.Output(), new FileHashCache(null), new QuietObserver());

        // The spec file says quantization none; the adapter's manifest says how it was trained.
        var target = EvalTarget.Resolve(new EvalRequest { Target = project.Directory, Adapter = project.Output() });
        var result = AdapterEvaluation.Run(target, new QuietObserver());
        var unquantized = AdapterEvaluation.Run(
            target with { Spec = target.Spec with { Quantization = Quantizations.None }, OutputDirectory = project.Output("plain") }, new QuietObserver());

        Assert.Equal(quantization, target.Spec.Quantization);
        Assert.Equal(Bytes(project.Output(), EvalOutputs.FileName), Bytes(target.OutputDirectory, EvalOutputs.FileName));
        Assert.Equal(manifest.Metrics.Eval.Before["loss"], result.Before["loss"], 5);
        Assert.Equal(manifest.Metrics.Eval.After["loss"], result.After["loss"], 5);
        Assert.NotEqual(manifest.Metrics.Eval.Before["loss"], unquantized.Before["loss"], 4);
    }

    [Fact]
    public void AnUntrainedSpecIsLora1351AndAMissingTargetLora1350()
    {
        using var project = new TinyProject();

        var untrained = Assert.Throws<LoraException>(() => EvalTarget.Resolve(new EvalRequest { Target = project.Directory }));
        var missing = Assert.Throws<LoraException>(() => EvalTarget.Resolve(new EvalRequest { Target = Path.Combine(project.Directory, "nope") }));
        var empty = Assert.Throws<LoraException>(() => EvalTarget.Resolve(new EvalRequest { Target = Path.Combine(project.Directory, "data") }));

        Assert.Equal(ReportErrorCodes.AdapterMissing, untrained.Code);
        Assert.Contains(Path.Combine("out", "Tiny"), untrained.Message, StringComparison.Ordinal);
        Assert.Equal(ReportErrorCodes.EvalTargetNotFound, missing.Code);
        Assert.Equal(ReportErrorCodes.EvalTargetNotFound, empty.Code);
    }

    [Fact]
    public void AMissingBaseModelOrDataFileIsNamedWithItsCode()
    {
        using var project = new TinyProject();
        TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile) with { MaxSteps = 1 }, project.Output(), new FileHashCache(null), new QuietObserver());

        var noModel = Assert.Throws<LoraException>(() => EvalTarget.Resolve(new EvalRequest { Target = project.Output(), Model = project.Directory }));
        var noData = Assert.Throws<LoraException>(() => EvalTarget.Resolve(new EvalRequest { Target = project.Output(), Data = [Path.Combine(project.Directory, "missing.jsonl")] }));
        File.Delete(Path.Combine(project.Output(), AdapterPackageLayout.WeightsFileName));
        var noWeights = Assert.Throws<LoraException>(() => EvalTarget.Resolve(new EvalRequest { Target = project.Output() }));

        Assert.Equal((ReportErrorCodes.BaseModelMissing, project.Directory), (noModel.Code, noModel.Location));
        Assert.Equal((ReportErrorCodes.EvalDataMissing, Path.Combine(project.Directory, "missing.jsonl")), (noData.Code, noData.Location));
        Assert.Equal(ReportErrorCodes.AdapterMissing, noWeights.Code);
    }

    private static byte[] Bytes(string folder, string file) => File.ReadAllBytes(Path.Combine(folder, file));

    private sealed class QuietObserver : ITrainingJobObserver
    {
        public void Stage(string description)
        {
        }

        public void StepCompleted(TrainingProgress progress)
        {
        }

        public void Warning(string code, string message, string? location)
        {
        }
    }
}
