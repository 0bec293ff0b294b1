using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Reports;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Reports;

/// <summary>Hand-made report inputs: a 20-step history, two samples, and a manifest with timings in it.</summary>
internal static class ReportSamples
{
    public static TrainingHistoryFile History(int steps = 20) => new(
        steps,
        [.. Enumerable.Range(1, steps).Select(i => new HistoryStep(i, (i - 1) / 10, 3.0 / i, 0.002 * (steps - i + 1) / steps, 0.5 + (i * 0.01), 40, 100))],
        [new EvalLossRecord(0, 3.5), new EvalLossRecord(steps / 2, 1.25), new EvalLossRecord(steps, 0.75)]);

    public static EvalOutputs Outputs() => new(
        ["exact-match", "rouge-l"],
        new Dictionary<string, double> { ["exact_match"] = 0, ["rouge_l"] = 0.25 },
        new Dictionary<string, double> { ["exact_match"] = 0.5, ["rouge_l"] = 0.75 },
        [
            new EvalOutputSample(0, "data/eval.jsonl:1", "### Instruction:\nClassify\n\n### Response:\n", "billing | high",
                new EvalAnswer("no idea", new Dictionary<string, double> { ["exact_match"] = 0, ["rouge_l"] = 0 }),
                new EvalAnswer("billing | high", new Dictionary<string, double> { ["exact_match"] = 1, ["rouge_l"] = 1 })),
            new EvalOutputSample(1, "data/eval.jsonl:2", "### Instruction:\nClassify\n\n### Response:\n", "late",
                new EvalAnswer("", new Dictionary<string, double> { ["exact_match"] = 0, ["rouge_l"] = 0.5 }),
                new EvalAnswer("late\nreally", new Dictionary<string, double> { ["exact_match"] = 0, ["rouge_l"] = 0.5 })),
        ]);

    public static TrainingManifest Manifest() => new()
    {
        Fingerprint = new string('a', 64),
        AdapterName = "Tiny",
        Spec = new TrainingSpec
        {
            Name = "Tiny",
            BaseModel = new BaseModelReference { Path = "/home/someone/models/tiny" },
            Datasets = [new DatasetReference { Path = "data/train.jsonl" }],
            EvalDatasets = [new DatasetReference { Path = "data/eval.jsonl" }],
        },
        Inputs = new ManifestInputs
        {
            BaseModelFiles = new Dictionary<string, string> { ["config.json"] = new string('b', 64) },
            Datasets = [new ManifestFile("data/train.jsonl", new string('c', 64))],
            EvalDatasets = [new ManifestFile("data/eval.jsonl", new string('d', 64))],
        },
        Engine = new ManifestEngine { LoraBuildVersion = "1.0.0", TorchSharpVersion = "0.107.0", LibTorchVersion = "2.10.0", Device = "cpu", Threads = 2, NativeFix = "None" },
        Metrics = new ManifestMetrics
        {
            Train = new Dictionary<string, double> { ["steps"] = 20, ["loss_first"] = 3, ["loss_final"] = 0.2, ["wall_seconds"] = 12.5, ["tokens_per_second"] = 900, ["peak_memory_bytes"] = 1e9 },
            Eval = new ManifestEvalMetrics
            {
                Before = new Dictionary<string, double> { ["loss"] = 3.5, ["perplexity"] = 33.1, ["exact_match"] = 0, ["samples"] = 2 },
                After = new Dictionary<string, double> { ["loss"] = 0.75, ["perplexity"] = 2.117, ["exact_match"] = 0.5, ["samples"] = 2 },
            },
        },
    };

    public static AdapterReportInput Input(TrainingHistoryFile? history = null, bool withOutputs = true)
    {
        var manifest = Manifest();
        return new AdapterReportInput
        {
            AdapterName = "Tiny",
            Origin = "Measured by the training run.",
            Manifest = manifest,
            Before = manifest.Metrics.Eval.Before,
            After = manifest.Metrics.Eval.After,
            EvalData = manifest.Inputs.EvalDatasets,
            Outputs = withOutputs ? Outputs() : null,
            History = history,
        };
    }
}
