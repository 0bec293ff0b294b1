using LoraBuild.Core.Adapters;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Lora;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Checkpoints;

/// <summary>A PEFT adapter folder for a <see cref="TinyCheckpoint"/>, in a temp folder: r=4, alpha=8, dropout 0.05.</summary>
internal sealed class TinyAdapter : IDisposable
{
    /// <param name="checkpoint">The base the adapter is made on.</param>
    /// <param name="trained">Whether lora_B gets random values (as after training); false leaves it at zero, a no-op adapter.</param>
    /// <param name="baseModelNameOrPath">What adapter_config.json records; the checkpoint's folder by default.</param>
    /// <param name="targets">The target modules.</param>
    /// <param name="seed">Seeds lora_A and lora_B.</param>
    public TinyAdapter(TinyCheckpoint checkpoint, bool trained = true, string? baseModelNameOrPath = null, string targets = "all-linear", long seed = 11)
    {
        Directory = Path.Combine(Path.GetTempPath(), "lorabuild-adapter-" + Guid.NewGuid().ToString("N"));
        using var loaded = PretrainedModel.Load(checkpoint.Directory);
        using var init = new Generator(unchecked((ulong)seed), CPU);
        using var dropout = new Generator(unchecked((ulong)seed + 1), CPU);
        var settings = new LoraSettings { Rank = 4, Alpha = 8, Dropout = 0.05, Targets = AdapterTargets.ParseSpec(targets) };
        var adapter = LoraInjector.Apply(loaded.Model, settings, init, dropout);
        if (trained)
        {
            using var values = new Generator(unchecked((ulong)seed + 2), CPU);
            using var noGrad = no_grad();
            foreach (var entry in adapter.Layers)
            {
                entry.Layer.LoraB.weight.normal_(0, 0.5, values);
            }
        }

        Adapter = adapter;
        AdapterFiles.Save(Directory, adapter, baseModelNameOrPath ?? checkpoint.Directory);
    }

    public string Directory { get; }

    /// <summary>The adapter as saved; its layers belong to a disposed model, so only its settings and counts are of use.</summary>
    public LoraAdapter Adapter { get; }

    /// <summary>The SHA-256 of every file in <paramref name="modelDirectory"/>, as a manifest records base model files.</summary>
    public static Dictionary<string, string> HashFiles(string modelDirectory)
    {
        var hashes = new FileHashCache(null);
        return System.IO.Directory.EnumerateFiles(modelDirectory)
            .ToDictionary(file => Path.GetFileName(file), hashes.Hash, StringComparer.Ordinal);
    }

    /// <summary>A manifest such as a training run writes, with the given base model hashes and metrics.</summary>
    public static TrainingManifest Manifest(IReadOnlyDictionary<string, string> baseModelFiles) => new()
    {
        Fingerprint = "3f9a" + new string('0', 60),
        AdapterName = "SupportTriage",
        Spec = new TrainingSpec
        {
            Name = "SupportTriage",
            BaseModel = new BaseModelReference { Path = "models/tiny" },
            Datasets = [new DatasetReference { Path = "data/train.jsonl", Format = "alpaca" }],
            EvalDatasets = [new DatasetReference { Path = "data/eval.jsonl", Format = "alpaca", Metric = "exact-match" }],
            Rank = 4,
            Alpha = 8,
            Epochs = 3,
            LearningRate = 2e-3,
        },
        Inputs = new ManifestInputs
        {
            BaseModelFiles = baseModelFiles,
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
                Before = new Dictionary<string, double> { ["loss"] = 5.5, ["exact_match"] = 0 },
                After = new Dictionary<string, double> { ["loss"] = 1.25, ["exact_match"] = 0.75 },
            },
        },
    };

    public void WriteManifest(TrainingManifest manifest) =>
        TrainingManifestJson.WriteFile(manifest, Path.Combine(Directory, TrainingManifest.FileName));

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
