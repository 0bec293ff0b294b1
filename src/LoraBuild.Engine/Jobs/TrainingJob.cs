using System.Reflection;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;
using LoraBuild.Core.Progress;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Evaluation;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Native;
using LoraBuild.Engine.Quantization;
using LoraBuild.Engine.Reports;
using LoraBuild.Engine.Resumption;
using LoraBuild.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Jobs;

/// <summary>
/// One training run from spec to output folder: validate, fingerprint, load the base, prepare the data, evaluate
/// the base, attach adapters (or train everything), train, evaluate again, and write the result. The result is
/// assembled in a hidden folder beside the output and swapped in only when complete, so a failed or cancelled run
/// leaves whatever was there before untouched.
/// </summary>
public static class TrainingJob
{
    /// <summary>The engine's version, part of every fingerprint.</summary>
    public static string EngineVersion { get; } = AssemblyVersions.Informational(typeof(TrainingJob).Assembly);

    /// <summary>The runtime facts that go into the fingerprint on this machine.</summary>
    public static RuntimeIdentity CurrentRuntime()
    {
        TorchRuntime.EnsureLoaded();
        return new RuntimeIdentity(EngineVersion, torch.__version__, DeviceResolver.AutoKind);
    }

    /// <param name="spec">The spec; validated here, with its files checked.</param>
    /// <param name="outputDirectory">The adapter folder (LoRA) or model folder (full fine-tuning) to produce.</param>
    /// <param name="hashes">The file-hash cache to fingerprint inputs with.</param>
    /// <param name="observer">Receives stages, steps and warnings.</param>
    /// <param name="cancellation">Stops the run between steps; the output folder is then left as it was.</param>
    public static TrainingManifest Run(
        TrainingSpec spec,
        string outputDirectory,
        FileHashCache hashes,
        ITrainingJobObserver observer,
        CancellationToken cancellation = default) =>
        Run(spec, outputDirectory, hashes, observer, TrainingRunOptions.Default, cancellation);

    /// <param name="hub">Where the Hub and its cache are, for a base model named by hub id; null reads the process's environment (HF_ENDPOINT, HF_HUB_CACHE, HF_TOKEN, HF_HUB_OFFLINE, …).</param>
    /// <inheritdoc cref="Run(TrainingSpec, string, FileHashCache, ITrainingJobObserver, CancellationToken)" path="/param"/>
    public static TrainingManifest Run(
        TrainingSpec spec,
        string outputDirectory,
        FileHashCache hashes,
        ITrainingJobObserver observer,
        HubSettings? hub,
        CancellationToken cancellation = default) =>
        Run(spec, outputDirectory, hashes, observer, TrainingRunOptions.Default with { Hub = hub }, cancellation);

    /// <inheritdoc cref="Run(TrainingSpec, string, FileHashCache, ITrainingJobObserver, TrainingRunOptions, CancellationToken)"/>
    internal static TrainingManifest Run(
        TrainingSpec spec,
        string outputDirectory,
        FileHashCache hashes,
        ITrainingJobObserver observer,
        int evalIntervals,
        CancellationToken cancellation) =>
        Run(spec, outputDirectory, hashes, observer, TrainingRunOptions.Default with { EvalIntervals = evalIntervals }, cancellation);

    /// <param name="options">The Hub, checkpointing and resumption.</param>
    /// <inheritdoc cref="Run(TrainingSpec, string, FileHashCache, ITrainingJobObserver, CancellationToken)" path="/param"/>
    public static TrainingManifest Run(
        TrainingSpec spec,
        string outputDirectory,
        FileHashCache hashes,
        ITrainingJobObserver observer,
        TrainingRunOptions options,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(hashes);
        ArgumentNullException.ThrowIfNull(observer);
        ArgumentNullException.ThrowIfNull(options);
        TrainingSpecValidator.Validate(spec);
        spec = OptimizerDefaults.Resolve(spec); // the manifest records the values the optimizer used
        if (BaseModelResolver.IsHubModel(spec))
        {
            observer.Stage($"Resolving {BaseModelResolver.HubReference(spec)} through the Hugging Face cache");
        }

        var resolvedBase = BaseModelResolver.Resolve(spec, options.Hub, new ObserverProgress(observer), cancellation);
        var report = TorchRuntime.EnsureLoaded();
        var runtime = CurrentRuntime();
        var device = DeviceResolver.Resolve(spec.Device, spec.LocationOf("device"));

        observer.Stage("Hashing inputs");
        var fingerprint = Fingerprint.Compute(spec, resolvedBase, hashes, runtime, new StageProgressReporter(observer));
        hashes.Save();
        observer.Stage($"Hashed inputs: {hashes.FilesHashed} file(s) read, {hashes.FilesFromCache} from the hash cache");

        NativeHeap.ReleaseFreeMemory();
        var baselineMemory = PeakMemory.ResidentBytes();
        observer.Stage("Loading the base model");
        var baseDirectory = resolvedBase.Directory;
        using var pretrained = SpecModelLoader.Load(spec, baseDirectory, device: device);
        ReportQuantization(pretrained, observer);

        var globalGenerator = torch.manual_seed(spec.Seed);

        observer.Stage("Preparing data");
        var data = PreparedData.Load(spec, pretrained);
        foreach (var (message, location) in data.StopMarkerWarnings)
        {
            observer.Warning(JobWarningCodes.ChatEndIsNoStopToken, message, location);
        }

        if (data.DroppedExamples > 0)
        {
            observer.Warning(
                JobWarningCodes.ExamplesDropped,
                $"{data.DroppedExamples} example(s) had no response token left within maxSequenceLength {spec.MaxSequenceLength} and were skipped.",
                spec.SourceLocation);
        }

        var (before, beforeAnswers) = Evaluate("Evaluating the base model", pretrained, data, spec, observer, cancellation);

        LoraAdapter? adapter = null;
        if (spec.Mode == TrainingModes.Lora)
        {
            using var initGenerator = new Generator(unchecked((ulong)spec.Seed), CPU);
            adapter = LoraInjector.Apply(pretrained.Model, LoraSettings.FromSpec(spec), initGenerator, dropoutGenerator: null);
        }

        observer.Stage(adapter is null ? "Training every parameter" : $"Training {adapter.TrainableParameterCount:N0} LoRA parameters");
        var checkpoints = new RunCheckpoints(outputDirectory, options.Checkpoints, fingerprint.Value, globalGenerator, observer);
        var batches = ExampleBatches.Shuffled(data.Train, spec.BatchSize, spec.Seed, data.PadId, spec.GroupByLength);
        TrainingMetrics metrics;
        TrainingHistory history;
        int totalSteps;
        using (var trainer = new Trainer(pretrained.Model, spec, batches))
        {
            history = trainer.State.History;
            totalSteps = trainer.State.Plan.TotalSteps;
            if (before.TryGetValue("loss", out var baseLoss))
            {
                history.AddEvalLoss(0, baseLoss);
            }

            checkpoints.Resume(trainer.State);
            checkpoints.StartClock();
            var evalSteps = data.Eval.Count > 0 ? EvalSchedule.InnerSteps(totalSteps, options.EvalIntervals) : new HashSet<int>();
            try
            {
                metrics = trainer.Train(
                    progress =>
                    {
                        observer.StepCompleted(progress);
                        if (evalSteps.Contains(progress.Step))
                        {
                            // Not cancellable: a checkpoint saved on cancellation must hold this step's eval loss, as a resumed run never measures it again.
                            history.AddEvalLoss(progress.Step, EvalLoss(pretrained, data, spec));
                        }

                        checkpoints.AfterStep(trainer.State);
                    },
                    cancellation) with { BaselineMemoryBytes = baselineMemory };
            }
            catch (OperationCanceledException)
            {
                checkpoints.Cancelled(trainer.State);
                throw;
            }
        }

        var (after, afterAnswers) = Evaluate("Evaluating the trained model", pretrained, data, spec, observer, cancellation);
        if (after.TryGetValue("loss", out var trainedLoss))
        {
            history.AddEvalLoss(history.Steps.Count, trainedLoss);
        }

        observer.Stage("Writing the output");
        var manifest = new TrainingManifest
        {
            Fingerprint = fingerprint.Value,
            AdapterName = spec.Name!,
            Spec = spec,
            Inputs = new ManifestInputs
            {
                BaseModelFiles = fingerprint.Inputs.BaseModelFiles,
                Datasets = [.. spec.Datasets.Select((d, i) => new ManifestFile(RelativePath(spec, d.Path!), fingerprint.Inputs.Datasets[i]))],
                EvalDatasets = [.. spec.EvalDatasets.Select((d, i) => new ManifestFile(RelativePath(spec, d.Path!), fingerprint.Inputs.EvalDatasets[i]))],
                BaseModelCommit = resolvedBase.Commit,
            },
            Engine = new ManifestEngine
            {
                LoraBuildVersion = EngineVersion,
                TorchSharpVersion = AssemblyVersions.Informational(typeof(torch).Assembly),
                LibTorchVersion = torch.__version__,
                Device = Devices.KindOf(spec.Device, runtime.DeviceKind),
                Threads = torch.get_num_threads(),
                NativeFix = report.State.ToString(),
            },
            Metrics = new ManifestMetrics
            {
                Train = TrainMetrics(metrics.ToManifestValues(), adapter, pretrained),
                Eval = new ManifestEvalMetrics { Before = before, After = after },
            },
            Prompt = data.Prompt,
        };
        OutputFolder.Replace(outputDirectory, staging =>
        {
            if (adapter is null)
            {
                CheckpointWriter.Write(staging, pretrained.Model, File.ReadAllText(Path.Combine(baseDirectory, "config.json")), baseDirectory);
            }
            else
            {
                AdapterFiles.Save(
                    staging,
                    adapter,
                    resolvedBase.HubId ?? Path.GetFileName(baseDirectory.TrimEnd(Path.DirectorySeparatorChar)),
                    resolvedBase.Commit ?? spec.BaseModel!.Revision);
            }

            TrainingManifestJson.WriteFile(manifest, Path.Combine(staging, TrainingManifest.FileName));
            EvalOutputs? outputs = null;
            if (beforeAnswers is not null && afterAnswers is not null)
            {
                outputs = EvalOutputsBuilder.Create(beforeAnswers, afterAnswers, spec.BaseDirectory ?? Directory.GetCurrentDirectory());
                EvalOutputsJson.WriteFile(outputs, Path.Combine(staging, EvalOutputs.FileName));
            }

            var historyFile = TrainingHistoryFile.From(history, totalSteps);
            TrainingHistoryJson.WriteFile(historyFile, Path.Combine(staging, TrainingHistoryFile.FileName));
            AdapterReportWriter.Write(staging, new AdapterReportInput
            {
                AdapterName = spec.Name!,
                Origin = "Measured by the training run.",
                Manifest = PackagedManifest.From(manifest),
                Before = before,
                After = after,
                EvalData = manifest.Inputs.EvalDatasets,
                Outputs = outputs,
                History = historyFile,
            });
        });
        checkpoints.Clear();
        return manifest;
    }

    /// <summary>Held-out loss and perplexity, then every suite's generation metrics: the values the manifest records as <c>metrics.eval.*</c>.</summary>
    internal static (Dictionary<string, double> Values, GenerationReport? Answers) Evaluate(
        string stage, PretrainedModel model, PreparedData data, TrainingSpec spec, ITrainingJobObserver observer, CancellationToken cancellation)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        if (data.Eval.Count == 0)
        {
            return (values, null);
        }

        observer.Stage($"{stage}: held-out loss");
        var batches = ExampleBatches.InOrder(data.Eval, spec.BatchSize, data.PadId);
        var loss = Evaluator.Evaluate(model.Model, Reporting(batches, (data.Eval.Count + spec.BatchSize - 1) / spec.BatchSize, observer), cancellation);
        foreach (var (name, value) in loss.ToManifestValues())
        {
            values[name] = value;
        }

        GenerationReport? generations = null;
        var prompts = data.EvalSuites.Sum(s => s.Cases.Count);
        if (prompts > 0)
        {
            observer.Stage($"{stage}: answering {prompts} held-out prompt{(prompts == 1 ? "" : "s")}");
            generations = new GenerationEvaluator(model.Model, model.Tokenizer, model.EosTokenIds)
                .Evaluate(data.EvalSuites, spec.EvalMaxNewTokens, new StageProgressReporter(observer), cancellation);
            foreach (var (name, value) in generations.Aggregates)
            {
                values[name] = value;
            }

            values["exact_match"] = generations.ExactMatchRate;
            values["samples"] = generations.Samples.Count;
        }

        return (values, generations);
    }

    /// <summary>The batches as they are consumed, reporting each one finished to the observer.</summary>
    private static IEnumerable<PaddedBatch> Reporting(IEnumerable<PaddedBatch> batches, int total, ITrainingJobObserver observer)
    {
        var done = 0;
        foreach (var batch in batches)
        {
            yield return batch;
            observer.StageProgress(new WorkProgress(++done, total));
        }
    }

    internal static void ReportQuantization(PretrainedModel model, ITrainingJobObserver observer)
    {
        if (model.Quantized is { } q)
        {
            observer.Stage($"Quantized {q.Layers} linear layers to {q.Quantization.ToUpperInvariant()} ({q.BytesBefore / 1048576.0:F1} MiB → {q.BytesAfter / 1048576.0:F1} MiB)");
        }
    }

    /// <summary>The held-out loss alone (teacher-forced, no generation): cheap enough to measure several times a run.</summary>
    private static double EvalLoss(PretrainedModel model, PreparedData data, TrainingSpec spec) =>
        Evaluator.Evaluate(model.Model, ExampleBatches.InOrder(data.Eval, spec.BatchSize, data.PadId)).Loss;

    private static Dictionary<string, double> TrainMetrics(IReadOnlyDictionary<string, double> train, LoraAdapter? adapter, PretrainedModel model)
    {
        // "tokens" is every real token the model read, prompts included, as the manifest contract names it.
        return new Dictionary<string, double>(train, StringComparer.Ordinal)
        {
            ["tokens"] = train["total_tokens"],
            ["trainable_parameters"] = adapter?.TrainableParameterCount ?? model.Model.parameters().Sum(p => p.numel()),
        };
    }

    private static string RelativePath(TrainingSpec spec, string path) =>
        Path.GetRelativePath(spec.BaseDirectory ?? Directory.GetCurrentDirectory(), spec.ResolvePath(path)).Replace('\\', '/');
}
