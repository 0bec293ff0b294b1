using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Comparison;

/// <summary>Hand-made manifests for the comparison tests.</summary>
internal static class Manifests
{
    public static TrainingManifest Of(
        string name,
        int seed = 42,
        Dictionary<string, double>? train = null,
        Dictionary<string, double>? before = null,
        Dictionary<string, double>? after = null,
        TrainingSpec? spec = null) => new()
    {
        Fingerprint = seed.ToString("x64", System.Globalization.CultureInfo.InvariantCulture),
        AdapterName = name,
        Spec = (spec ?? new TrainingSpec()) with { Name = name, Seed = seed, BaseModel = new BaseModelReference { Path = "model" } },
        Inputs = new ManifestInputs { BaseModelFiles = new Dictionary<string, string>(), Datasets = [], EvalDatasets = [] },
        Engine = new ManifestEngine { LoraBuildVersion = "0.1.0", TorchSharpVersion = "0.107.0", LibTorchVersion = "2.10.0", Device = "cpu", Threads = 2 },
        Metrics = new ManifestMetrics
        {
            Train = train ?? [],
            Eval = new ManifestEvalMetrics { Before = before ?? [], After = after ?? [] },
        },
    };
}
