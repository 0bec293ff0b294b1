using System.Text.Json;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Progress;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Jobs;
using LoraBuild.Core.Lora;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.SafeTensors;
using LoraBuild.Engine.Tests.Checkpoints;
using LoraBuild.Engine.Training;

namespace LoraBuild.Engine.Tests.Jobs;

public class TrainingJobTests
{
    [Fact]
    public void ALoraRunWritesThePeftFilesAndAManifestWithTheContractMetrics()
    {
        using var project = new TinyProject();
        var observer = new RecordingObserver();

        var manifest = TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), observer);

        var output = project.Output();
        Assert.True(File.Exists(Path.Combine(output, AdapterConfigJson.FileName)));
        Assert.True(File.Exists(Path.Combine(output, AdapterFiles.WeightsFileName)));
        var written = TrainingManifestJson.ReadFile(Path.Combine(output, TrainingManifest.FileName));
        Assert.Equal(manifest.Fingerprint, written.Fingerprint);
        Assert.All(
            ["steps", "tokens", "loss_first", "loss_final", "tokens_per_second", "wall_seconds", "peak_memory_bytes", "trainable_parameters"],
            key => Assert.Contains(key, written.Metrics.Train.Keys));
        Assert.Equal(2 * 2 * 4 * (32 + 32) - (2 * 4 * 16), written.Metrics.Train["trainable_parameters"]);
        Assert.All(["loss", "exact_match"], key => Assert.Contains(key, written.Metrics.Eval.Before.Keys));
        Assert.All(["loss", "exact_match"], key => Assert.Contains(key, written.Metrics.Eval.After.Keys));
        Assert.Equal("data/train.jsonl", written.Inputs.Datasets[0].Path);
        Assert.Equal(6, written.Metrics.Train["steps"]);
        Assert.Equal(6, observer.Steps);
        Assert.Empty(Directory.GetDirectories(project.Directory, ".out*"));
    }

    [Fact]
    public void TwoRunsOfTheSameSpecGiveByteIdenticalAdapters()
    {
        using var project = new TinyProject();
        var spec = TrainingSpecJson.ReadFile(project.SpecFile);

        TrainingJob.Run(spec, project.Output("a"), new FileHashCache(null), new RecordingObserver());
        TrainingJob.Run(spec, project.Output("b"), new FileHashCache(null), new RecordingObserver());

        Assert.Equal(
            File.ReadAllBytes(Path.Combine(project.Output("a"), AdapterFiles.WeightsFileName)),
            File.ReadAllBytes(Path.Combine(project.Output("b"), AdapterFiles.WeightsFileName)));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(project.Output("a"), AdapterConfigJson.FileName)),
            File.ReadAllBytes(Path.Combine(project.Output("b"), AdapterConfigJson.FileName)));
    }

    [Fact]
    public void ActivationCheckpointingWritesTheSameAdapterAndRecordsTheSetting()
    {
        using var project = new TinyProject("\"targetModules\": \"all-linear\"");
        var spec = TrainingSpecJson.ReadFile(project.SpecFile);

        var plain = TrainingJob.Run(spec, project.Output("plain"), new FileHashCache(null), new RecordingObserver());
        var checkpointed = TrainingJob.Run(spec with { ActivationCheckpointing = true }, project.Output("checkpointed"), new FileHashCache(null), new RecordingObserver());

        Assert.Equal(
            File.ReadAllBytes(Path.Combine(project.Output("plain"), AdapterFiles.WeightsFileName)),
            File.ReadAllBytes(Path.Combine(project.Output("checkpointed"), AdapterFiles.WeightsFileName)));
        Assert.Equal(plain.Fingerprint, checkpointed.Fingerprint);
        Assert.Equal(plain.Metrics.Train["loss_final"], checkpointed.Metrics.Train["loss_final"]);
        Assert.Equal(plain.Metrics.Eval.After["loss"], checkpointed.Metrics.Eval.After["loss"]);
        Assert.False(TrainingManifestJson.ReadFile(Path.Combine(project.Output("plain"), TrainingManifest.FileName)).Spec.ActivationCheckpointing);
        Assert.True(TrainingManifestJson.ReadFile(Path.Combine(project.Output("checkpointed"), TrainingManifest.FileName)).Spec.ActivationCheckpointing);
    }

    [Fact]
    public void TrainingLowersTheLossOnTheTrainingData()
    {
        using var project = new TinyProject("\"epochs\": 6");

        var manifest = TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), new RecordingObserver());

        Assert.True(manifest.Metrics.Train["loss_final"] < manifest.Metrics.Train["loss_first"] * 0.7, JsonSerializer.Serialize(manifest.Metrics.Train));
        Assert.True(manifest.Metrics.Eval.After["loss"] < manifest.Metrics.Eval.Before["loss"]);
    }

    [Fact]
    public void APhiThreeCheckpointTrainsLoraOnItsFusedProjectionsUnderPeftsNames()
    {
        using var project = new TinyProject("\"epochs\": 6, \"targetModules\": \"all-linear\"", TinyCheckpoint.Phi3ConfigJson);

        var manifest = TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), new RecordingObserver());

        Assert.True(manifest.Metrics.Train["loss_final"] < manifest.Metrics.Train["loss_first"] * 0.7, JsonSerializer.Serialize(manifest.Metrics.Train));
        Assert.True(manifest.Metrics.Eval.After["loss"] < manifest.Metrics.Eval.Before["loss"]);
        var config = AdapterConfigJson.Read(Path.Combine(project.Output(), AdapterConfigJson.FileName));
        Assert.Equal(["down_proj", "gate_up_proj", "o_proj", "qkv_proj"], config.Lora.Targets.Names);
        using var weights = SafeTensorsReader.Open(Path.Combine(project.Output(), AdapterFiles.WeightsFileName));
        Assert.Equal(2 * 4 * 2, weights.Tensors.Count);
        Assert.True(weights.TryGetTensor("base_model.model.model.layers.0.self_attn.qkv_proj.lora_A.weight", out var qkvA));
        Assert.Equal([4L, 32L], qkvA.Shape);
        Assert.True(weights.TryGetTensor("base_model.model.model.layers.1.self_attn.qkv_proj.lora_B.weight", out var qkvB));
        Assert.Equal([(4L + 2 + 2) * 8, 4L], qkvB.Shape);
        Assert.True(weights.TryGetTensor("base_model.model.model.layers.1.mlp.gate_up_proj.lora_B.weight", out var gateUpB));
        Assert.Equal([2L * 64, 4L], gateUpB.Shape);
    }

    [Fact]
    public void SeparateProjectionTargetsOnAPhiThreeCheckpointAreLora1001()
    {
        using var project = new TinyProject(configJson: TinyCheckpoint.Phi3ConfigJson);

        var error = Assert.Throws<LoraException>(
            () => TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), new RecordingObserver()));

        Assert.Equal(LoraErrorCodes.UnknownTargetModule, error.Code);
        Assert.Contains("'q_proj' is not a linear layer of a Phi3ForCausalLM", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nf4")]
    [InlineData("fp4")]
    [InlineData("int8")]
    public void QloraTrainsTheSameLoraParametersOnAQuantizedBase(string quantization)
    {
        using var project = new TinyProject($"\"quantization\": \"{quantization}\", \"epochs\": 6");
        var observer = new RecordingObserver();

        var manifest = TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), observer);

        Assert.Equal(quantization, manifest.Spec.Quantization);
        Assert.Equal(2 * 2 * 4 * (32 + 32) - (2 * 4 * 16), manifest.Metrics.Train["trainable_parameters"]);
        Assert.True(manifest.Metrics.Train["loss_final"] < manifest.Metrics.Train["loss_first"] * 0.7, JsonSerializer.Serialize(manifest.Metrics.Train));
        Assert.Contains(observer.Stages, stage => stage.StartsWith($"Quantized 14 linear layers to {quantization.ToUpperInvariant()}", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(project.Output(), AdapterFiles.WeightsFileName)));
        Assert.True(manifest.Metrics.Train["memory_frozen_weights_bytes"] > 0);

        var merged = Engine.Checkpoints.AdapterMerger.Merge(project.BaseModelDirectory, project.Output(), Path.Combine(project.Directory, "merged"));
        Assert.Contains(merged.Warnings, warning => warning.StartsWith($"LORA3012: the adapter was trained on a quantized ({quantization.ToUpperInvariant()}) base", StringComparison.Ordinal));
    }

    [Fact]
    public void FullFineTuningWritesAModelFolder()
    {
        using var project = new TinyProject("\"mode\": \"full\", \"maxSteps\": 2");

        TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), new RecordingObserver());

        Assert.All(
            ["config.json", "model.safetensors", "tokenizer.json", TrainingManifest.FileName],
            file => Assert.True(File.Exists(Path.Combine(project.Output(), file)), file));
        using var reloaded = Engine.Checkpoints.PretrainedModel.Load(project.Output());
    }

    [Fact]
    public void ACancelledRunLeavesThePreviousOutputAsItWasAndACheckpointAtTheStepItReached()
    {
        using var project = new TinyProject();
        Directory.CreateDirectory(project.Output());
        File.WriteAllText(Path.Combine(project.Output(), "previous.txt"), "kept");
        using var cancellation = new CancellationTokenSource();
        var observer = new RecordingObserver { OnStep = cancellation.Cancel };

        Assert.ThrowsAny<OperationCanceledException>(() =>
            TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), observer, cancellation.Token));

        Assert.Equal(["previous.txt"], Directory.GetFiles(project.Output()).Select(Path.GetFileName));
        var checkpoints = new CheckpointFolder(project.Output());
        Assert.Equal([checkpoints.FullPath], Directory.GetDirectories(project.Directory, ".out*"));
        Assert.Equal(1, Assert.Single(checkpoints.List()).Step);
    }

    [Fact]
    public void EveryLongStageReportsItsProgressToTheEnd()
    {
        using var project = new TinyProject();
        var observer = new RecordingObserver();

        TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), observer);

        var hashing = observer.ProgressOf("Hashing inputs");
        Assert.True(hashing.Count > 0 && hashing[^1].Done == hashing[^1].Total && hashing[^1].Total > 0, "hashing reaches every input byte");
        foreach (var model in new[] { "base", "trained" })
        {
            // 3 eval records in batches of 4: one batch to score, then 3 prompts to answer, one report each.
            Assert.Equal([new WorkProgress(1, 1)], observer.ProgressOf($"Evaluating the {model} model: held-out loss"));
            Assert.Equal(
                [new WorkProgress(1, 3), new WorkProgress(2, 3), new WorkProgress(3, 3)],
                observer.ProgressOf($"Evaluating the {model} model: answering 3 held-out prompts"));
        }
    }

    [Fact]
    public void RetrainingKeepsTheUsersOwnFilesButNotOldWeights()
    {
        using var project = new TinyProject();
        Directory.CreateDirectory(Path.Combine(project.Output(), "notes"));
        File.WriteAllText(Path.Combine(project.Output(), "MODEL.md"), "my card");
        File.WriteAllText(Path.Combine(project.Output(), "notes", "todo.txt"), "kept");
        File.WriteAllText(Path.Combine(project.Output(), "old-00001-of-00002.safetensors"), "stale shard");
        File.WriteAllText(Path.Combine(project.Output(), TrainingManifest.FileName), "{}");

        TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), new RecordingObserver());

        Assert.Equal("my card", File.ReadAllText(Path.Combine(project.Output(), "MODEL.md")));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(project.Output(), "notes", "todo.txt")));
        Assert.False(File.Exists(Path.Combine(project.Output(), "old-00001-of-00002.safetensors")));
        Assert.NotEqual("{}", File.ReadAllText(Path.Combine(project.Output(), TrainingManifest.FileName)));
    }

    [Fact]
    public void AMalformedDatasetLineFailsWithItsFileAndLineAndWritesNothing()
    {
        using var project = new TinyProject();
        File.AppendAllText(project.TrainData, "{\"instruction\": \"x\", \"output\": \n");

        var error = Assert.Throws<LoraException>(() =>
            TrainingJob.Run(TrainingSpecJson.ReadFile(project.SpecFile), project.Output(), new FileHashCache(null), new RecordingObserver()));

        Assert.StartsWith("LORA11", error.Code, StringComparison.Ordinal);
        Assert.Equal($"{project.TrainData}:13", error.Location);
        Assert.False(Directory.Exists(project.Output()));
    }

    private sealed class RecordingObserver : ITrainingJobObserver
    {
        public int Steps { get; private set; }

        public Action? OnStep { get; init; }

        public List<string> Stages { get; } = [];

        private List<(string Stage, WorkProgress Progress)> Progress { get; } = [];

        public void Stage(string description) => Stages.Add(description);

        public void StageProgress(WorkProgress progress) => Progress.Add((Stages[^1], progress));

        public List<WorkProgress> ProgressOf(string stage) => [.. Progress.Where(p => p.Stage == stage).Select(p => p.Progress)];

        public void StepCompleted(TrainingProgress progress)
        {
            Steps++;
            OnStep?.Invoke();
        }

        public void Warning(string code, string message, string? location)
        {
        }
    }
}
