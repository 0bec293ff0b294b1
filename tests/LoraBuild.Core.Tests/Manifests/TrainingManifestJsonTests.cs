using System.Text.Json;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Manifests;

public class TrainingManifestJsonTests
{
    private static TrainingManifest Sample() => new()
    {
        Fingerprint = new string('a', 64),
        AdapterName = "Triage",
        Spec = new TrainingSpec { Name = "Triage", BaseModel = new BaseModelReference { Path = "model" }, Rank = 4 },
        Inputs = new ManifestInputs
        {
            BaseModelFiles = new Dictionary<string, string> { ["model.safetensors"] = "11", ["config.json"] = "22" },
            Datasets = [new ManifestFile("data/train.jsonl", "33")],
            EvalDatasets = [],
        },
        Engine = new ManifestEngine { LoraBuildVersion = "0.1.0", TorchSharpVersion = "0.107.0", LibTorchVersion = "2.10.0", Device = "cpu", Threads = 2 },
        Metrics = new ManifestMetrics
        {
            Train = new Dictionary<string, double> { ["steps"] = 10, ["loss_final"] = 0.25 },
            Eval = new ManifestEvalMetrics
            {
                Before = new Dictionary<string, double> { ["exact_match"] = 0 },
                After = new Dictionary<string, double> { ["exact_match"] = 0.9 },
            },
        },
    };

    [Fact]
    public void KeysAreSortedAtEveryLevelAndMetricsUseTheContractNames()
    {
        var json = TrainingManifestJson.Serialize(Sample());
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        var keys = root.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(["config.json", "model.safetensors"], root.GetProperty("inputs").GetProperty("baseModelFiles").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.25, root.GetProperty("metrics").GetProperty("train").GetProperty("loss_final").GetDouble());
        Assert.Equal(0.9, root.GetProperty("metrics").GetProperty("eval").GetProperty("after").GetProperty("exact_match").GetDouble());
    }

    [Fact]
    public void AManifestRoundTripsAndItsFingerprintCanBeReadAlone()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, TrainingManifest.FileName);
        TrainingManifestJson.WriteFile(Sample(), path);

        var back = TrainingManifestJson.ReadFile(path);

        Assert.Equal(TrainingManifestJson.Serialize(Sample()), TrainingManifestJson.Serialize(back));
        Assert.Equal(new string('a', 64), TrainingManifestJson.TryReadFingerprint(path));
    }

    [Fact]
    public void ADamagedManifestHasNoFingerprintAndFailsToReadWithACode()
    {
        using var directory = new TempDirectory();
        var path = directory.Write(TrainingManifest.FileName, "{ \"fingerprint\": ");

        Assert.Null(TrainingManifestJson.TryReadFingerprint(path));
        Assert.Null(TrainingManifestJson.TryReadFingerprint(Path.Combine(directory.Path, "absent.json")));
        Assert.Equal(ManifestErrorCodes.ManifestUnreadable, Assert.Throws<LoraException>(() => TrainingManifestJson.ReadFile(path)).Code);
    }
}
