using System.Security.Cryptography;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Evaluation;
using LoraBuild.Engine.Jobs;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Reports;

/// <summary>
/// Evaluates a trained adapter as the training run does: the base model, then the base model with the adapter, on the
/// same held-out data (loss and perplexity, and every suite's metrics on greedy answers), and writes
/// <c>eval_outputs.json</c>, <c>report.md</c> and the charts.
/// </summary>
public static class AdapterEvaluation
{
    /// <param name="target">What to evaluate (see <see cref="EvalTarget.Resolve"/>).</param>
    /// <param name="observer">Receives stages and warnings (no steps).</param>
    /// <param name="cancellation">Stops between batches and tokens; nothing is written then.</param>
    /// <exception cref="LoraException">A model, adapter or data file is invalid, or the data gives nothing to evaluate (LORA1355).</exception>
    public static EvalResult Run(EvalTarget target, ITrainingJobObserver observer, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(observer);
        var spec = target.Spec;
        Dictionary<string, double> before;
        GenerationReport? beforeAnswers;
        observer.Stage("Loading the base model");
        using (var baseModel = SpecModelLoader.Load(spec, target.BaseModelDirectory))
        {
            TrainingJob.ReportQuantization(baseModel, observer);
            var data = Prepare(spec, baseModel, observer);
            (before, beforeAnswers) = TrainingJob.Evaluate("Evaluating the base model", baseModel, data, spec, observer, cancellation);
        }

        observer.Stage("Loading the base model with the adapter");
        Dictionary<string, double> after;
        GenerationReport? afterAnswers;
        using (var adapted = SpecModelLoader.Load(spec, target.BaseModelDirectory, target.AdapterDirectory))
        {
            foreach (var warning in adapted.Warnings)
            {
                observer.Warning(PackagingErrorCodes.BaseModelMismatch, warning, target.AdapterDirectory);
            }

            var data = PreparedData.Load(spec, adapted);
            (after, afterAnswers) = TrainingJob.Evaluate("Evaluating the base model with the adapter", adapted, data, spec, observer, cancellation);
        }

        observer.Stage("Writing the outputs and the report");
        Directory.CreateDirectory(target.OutputDirectory);
        var written = new List<string>();
        EvalOutputs? outputs = null;
        var outputsPath = Path.Combine(target.OutputDirectory, EvalOutputs.FileName);
        if (beforeAnswers is not null && afterAnswers is not null)
        {
            outputs = EvalOutputsBuilder.Create(beforeAnswers, afterAnswers, spec.BaseDirectory ?? Directory.GetCurrentDirectory());
            EvalOutputsJson.WriteFile(outputs, outputsPath);
            written.Add(EvalOutputs.FileName);
        }
        else if (File.Exists(outputsPath))
        {
            File.Delete(outputsPath);
        }

        var historyPath = Path.Combine(target.AdapterDirectory, TrainingHistoryFile.FileName);
        var history = File.Exists(historyPath) ? TrainingHistoryJson.ReadFile(historyPath) : null;
        written.AddRange(AdapterReportWriter.Write(target.OutputDirectory, new AdapterReportInput
        {
            AdapterName = target.AdapterName,
            Origin = "Measured by `dotnet lora eval`.",
            Manifest = target.Manifest is { } manifest ? PackagedManifest.From(manifest) : null,
            Before = before,
            After = after,
            EvalData = [.. spec.EvalDatasets.Select(d => EvalFile(spec, d.Path!))],
            Outputs = outputs,
            History = history,
        }));
        return new EvalResult(target, before, after, outputs, written);
    }

    private static PreparedData Prepare(TrainingSpec spec, PretrainedModel model, ITrainingJobObserver observer)
    {
        observer.Stage("Preparing data");
        var data = PreparedData.Load(spec, model);
        if (data.Eval.Count == 0 && !data.EvalSuites.Any(suite => suite.Cases.Count > 0))
        {
            throw new LoraException(
                ReportErrorCodes.EvalDataEmpty,
                $"The eval data yields nothing to evaluate: no record fits maxSequenceLength {spec.MaxSequenceLength} with a target token left, and none has a prompt to answer.",
                spec.ResolvePath(spec.EvalDatasets[0].Path!));
        }

        if (data.DroppedExamples > 0)
        {
            observer.Warning(
                JobWarningCodes.ExamplesDropped,
                $"{data.DroppedExamples} eval example(s) had no response token left within maxSequenceLength {spec.MaxSequenceLength} and count for no loss.",
                spec.SourceLocation);
        }

        return data;
    }

    private static ManifestFile EvalFile(TrainingSpec spec, string path)
    {
        var full = spec.ResolvePath(path);
        using var stream = File.OpenRead(full);
        var relative = Path.GetRelativePath(spec.BaseDirectory ?? Directory.GetCurrentDirectory(), full).Replace('\\', '/');
        return new ManifestFile(relative, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }
}

/// <summary>What an evaluation measured and wrote.</summary>
/// <param name="Target">What was evaluated.</param>
/// <param name="Before">The base model's metrics by key.</param>
/// <param name="After">The adapted model's metrics by key.</param>
/// <param name="Outputs">Per-sample answers; null when no record had a prompt.</param>
/// <param name="Files">The file names written into <see cref="EvalTarget.OutputDirectory"/>.</param>
public sealed record EvalResult(
    EvalTarget Target,
    IReadOnlyDictionary<string, double> Before,
    IReadOnlyDictionary<string, double> After,
    EvalOutputs? Outputs,
    IReadOnlyList<string> Files);
