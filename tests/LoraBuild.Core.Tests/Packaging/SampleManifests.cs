using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Packaging;

/// <summary>A manifest such as a training run of the SupportTriage example writes, with machine timings in it.</summary>
internal static class SampleManifests
{
    public static TrainingManifest SupportTriage(string fingerprint = "3f9a000000000000000000000000000000000000000000000000000000000000") => new()
    {
        Fingerprint = fingerprint,
        AdapterName = "SupportTriage",
        Spec = new TrainingSpec
        {
            Name = "SupportTriage",
            BaseModel = new BaseModelReference { Path = "../models/tiny" },
            Datasets = [new DatasetReference { Path = "data/train.jsonl", Format = "alpaca" }],
            EvalDatasets = [new DatasetReference { Path = "data/eval.jsonl", Format = "alpaca", Metric = "exact-match" }],
            Rank = 16,
            Alpha = 32,
            Epochs = 3,
            LearningRate = 2e-3,
            WarmupSteps = 10,
        },
        Inputs = new ManifestInputs
        {
            BaseModelFiles = new Dictionary<string, string> { ["model.safetensors"] = new string('c', 64), ["config.json"] = new string('d', 64) },
            Datasets = [new ManifestFile("data/train.jsonl", new string('1', 64))],
            EvalDatasets = [new ManifestFile("data/eval.jsonl", new string('2', 64))],
        },
        Engine = new ManifestEngine { LoraBuildVersion = "0.1.0", TorchSharpVersion = "0.107.0", LibTorchVersion = "2.10.0", Device = "cpu", Threads = 2 },
        Metrics = new ManifestMetrics
        {
            Train = new Dictionary<string, double>
            {
                ["steps"] = 36,
                ["loss_first"] = 5.75,
                ["loss_final"] = 1.125,
                ["tokens_per_second"] = 1834.5,
                ["wall_seconds"] = 12.25,
                ["peak_memory_bytes"] = 512L * 1024 * 1024,
            },
            Eval = new ManifestEvalMetrics
            {
                Before = new Dictionary<string, double> { ["loss"] = 3.01, ["exact_match"] = 0 },
                After = new Dictionary<string, double> { ["loss"] = 0.98, ["exact_match"] = 0.75 },
            },
        },
    };
}
