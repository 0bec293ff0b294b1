using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Engine.Reports;

/// <summary>What an adapter's report is made of. Nothing in it may hold a timing or an absolute path.</summary>
public sealed record AdapterReportInput
{
    /// <summary>The adapter's name, the report's title.</summary>
    public required string AdapterName { get; init; }

    /// <summary>One sentence on where the numbers come from, e.g. "Measured by the training run.".</summary>
    public required string Origin { get; init; }

    /// <summary>The adapter's <c>lorabuild.json</c>, for its settings, data and training metrics; null when it has none.</summary>
    public TrainingManifest? Manifest { get; init; }

    /// <summary>Held-out metrics of the base model by key (<c>loss</c>, <c>perplexity</c>, <c>exact_match</c>, …).</summary>
    public required IReadOnlyDictionary<string, double> Before { get; init; }

    /// <summary>Held-out metrics of the base model with the adapter, by key.</summary>
    public required IReadOnlyDictionary<string, double> After { get; init; }

    /// <summary>The files the metrics were measured on, relative to the project, with their SHA-256.</summary>
    public IReadOnlyList<ManifestFile> EvalData { get; init; } = [];

    /// <summary>Per-sample answers before and after (<c>eval_outputs.json</c>); null when no record had a prompt to answer.</summary>
    public EvalOutputs? Outputs { get; init; }

    /// <summary>The training history; null when none exists (the report then says there is no loss curve).</summary>
    public TrainingHistoryFile? History { get; init; }
}
