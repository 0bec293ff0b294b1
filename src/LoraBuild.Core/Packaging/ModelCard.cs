using System.Globalization;
using System.Text;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Packaging;

/// <summary>
/// The <c>README.md</c> placed beside an adapter in its package: what it was trained on (base model and data, by
/// SHA-256), with which settings, and how well it did. Rendered only from <c>lorabuild.json</c>, with no clock or
/// machine in it, so equal manifests give equal cards.
/// </summary>
public static class ModelCard
{
    /// <summary>Renders the card for the adapter <paramref name="adapterName"/> described by <paramref name="manifest"/>.</summary>
    /// <param name="manifest">The adapter's manifest (as packaged: see <see cref="PackagedManifest"/>).</param>
    /// <param name="adapterName">The adapter's folder name in the package.</param>
    /// <param name="packageId">The package id, for the usage section; none when null.</param>
    /// <param name="packageVersion">The package version, for the usage section.</param>
    /// <param name="reportFiles">
    /// The report files packed beside the adapter (<see cref="AdapterPackageLayout.ReportFilesIn"/>): the card links the
    /// report and shows its charts. None when null or empty.
    /// </param>
    /// <param name="reportLinkPrefix">
    /// What the links to those files start with: empty for the card inside the adapter's folder, <c>lora/&lt;Adapter&gt;/</c>
    /// for a card at the package root.
    /// </param>
    public static string Render(
        TrainingManifest manifest,
        string adapterName,
        string? packageId = null,
        string? packageVersion = null,
        IReadOnlyCollection<string>? reportFiles = null,
        string reportLinkPrefix = "")
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentException.ThrowIfNullOrEmpty(adapterName);
        var spec = manifest.Spec;
        var baseModel = BaseModelId.Of(spec);
        var card = new StringBuilder();
        card.Append(CultureInfo.InvariantCulture, $"# {adapterName}\n\n");
        card.Append(CultureInfo.InvariantCulture, $"A {(spec.Mode == TrainingModes.Lora ? "LoRA adapter" : "fine-tuned checkpoint")} for the base model `{baseModel}`, ");
        card.Append(CultureInfo.InvariantCulture, $"trained by LoraBuild {manifest.Engine.LoraBuildVersion} (TorchSharp {manifest.Engine.TorchSharpVersion}, ");
        card.Append(CultureInfo.InvariantCulture, $"libtorch {manifest.Engine.LibTorchVersion}, {manifest.Engine.Device}, {manifest.Engine.Threads} threads).\n\n");
        card.Append(CultureInfo.InvariantCulture, $"Fingerprint: `{manifest.Fingerprint}`\n\n");
        AppendUsage(card, adapterName, packageId, packageVersion);
        AppendBaseModel(card, spec, manifest.Inputs);
        AppendData(card, spec, manifest.Inputs);
        AppendSettings(card, spec);
        AppendMetrics(card, manifest.Metrics);
        AppendReport(card, reportFiles ?? [], reportLinkPrefix ?? string.Empty);
        return card.ToString();
    }

    private static void AppendReport(StringBuilder card, IReadOnlyCollection<string> files, string prefix)
    {
        if (files.Count == 0)
        {
            return;
        }

        card.Append("\n## Report\n\n");
        if (files.Contains(AdapterPackageLayout.ReportFileName))
        {
            card.Append(CultureInfo.InvariantCulture, $"[The evaluation report]({prefix}{AdapterPackageLayout.ReportFileName}) has every metric before and after, sample answers and the training curve.\n\n");
        }

        if (files.Contains(AdapterPackageLayout.LossCurveFileName))
        {
            card.Append(CultureInfo.InvariantCulture, $"![Train and eval loss and the learning rate]({prefix}{AdapterPackageLayout.LossCurveFileName})\n\n");
        }

        if (files.Contains(AdapterPackageLayout.MetricsChartFileName))
        {
            card.Append(CultureInfo.InvariantCulture, $"![Held-out metrics before and after]({prefix}{AdapterPackageLayout.MetricsChartFileName})\n\n");
        }

        var data = files.Where(file => file is Core.Evaluation.Outputs.EvalOutputs.FileName or AdapterPackageLayout.HistoryFileName).ToList();
        if (data.Count > 0)
        {
            card.Append("Data behind them: ");
            card.AppendJoin(", ", data.Select(file => $"[`{file}`]({prefix}{file})"));
            card.Append(".\n");
        }
    }

    private static void AppendUsage(StringBuilder card, string adapterName, string? packageId, string? packageVersion)
    {
        if (string.IsNullOrEmpty(packageId))
        {
            return;
        }

        card.Append("## Use\n\n```xml\n");
        card.Append(CultureInfo.InvariantCulture, $"<PackageReference Include=\"{packageId}\" Version=\"{packageVersion}\" />\n");
        card.Append("```\n\n");
        card.Append(CultureInfo.InvariantCulture, $"The build copies the adapter to `{AdapterPackageLayout.AdaptersFolder}/{adapterName}/` in the output folder ");
        card.Append(CultureInfo.InvariantCulture, $"and adds an item `LoraAdapterReference` named `{adapterName}` with the metadata `Path`, `BaseModel` and `Fingerprint`.\n\n");
    }

    private static void AppendBaseModel(StringBuilder card, TrainingSpec spec, ManifestInputs inputs)
    {
        card.Append("## Base model\n\n");
        if (spec.BaseModel is { } reference)
        {
            if (!string.IsNullOrEmpty(reference.HubId))
            {
                card.Append(CultureInfo.InvariantCulture, $"Hub id `{reference.HubId}`");
                card.Append(string.IsNullOrEmpty(reference.Revision) ? ".\n\n" : $", revision `{reference.Revision}`.\n\n");
            }
            else if (!string.IsNullOrEmpty(reference.Path))
            {
                card.Append(CultureInfo.InvariantCulture, $"`{BaseModelId.Of(spec)}`, a model folder of the project that trained the adapter, not on the Hub: ");
                card.Append(inputs.BaseModelFiles.Count > 0
                    ? "its files are the ones below, by SHA-256; the adapter needs a base with exactly these.\n\n"
                    : "the manifest records no hashes of its files.\n\n");
            }
        }

        if (inputs.BaseModelFiles.Count > 0)
        {
            card.Append("| file | SHA-256 |\n|---|---|\n");
            foreach (var (file, sha256) in inputs.BaseModelFiles.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                card.Append(CultureInfo.InvariantCulture, $"| `{file}` | `{sha256}` |\n");
            }

            card.Append('\n');
        }
    }

    private static void AppendData(StringBuilder card, TrainingSpec spec, ManifestInputs inputs)
    {
        card.Append("## Data\n\n| role | file | format | SHA-256 |\n|---|---|---|---|\n");
        AppendDataRows(card, "train", spec.Datasets, inputs.Datasets);
        AppendDataRows(card, "eval", spec.EvalDatasets, inputs.EvalDatasets);
        card.Append('\n');
    }

    private static void AppendDataRows(StringBuilder card, string role, IReadOnlyList<DatasetReference> declared, IReadOnlyList<ManifestFile> files)
    {
        for (var i = 0; i < files.Count; i++)
        {
            // The manifest lists files in the spec's order, so the i-th file is the i-th dataset.
            var format = i < declared.Count ? declared[i].Format : "?";
            card.Append(CultureInfo.InvariantCulture, $"| {role} | `{files[i].Path}` | {format} | `{files[i].Sha256}` |\n");
        }
    }

    private static void AppendSettings(StringBuilder card, TrainingSpec spec)
    {
        card.Append("## Settings\n\n| setting | value |\n|---|---|\n");
        foreach (var (name, value) in Settings(spec))
        {
            card.Append(CultureInfo.InvariantCulture, $"| {name} | {value} |\n");
        }

        card.Append('\n');
    }

    /// <summary>The settings a card (and an adapter's report) lists for <paramref name="spec"/>, as Markdown-ready text, in a fixed order.</summary>
    public static IEnumerable<(string Name, string Value)> Settings(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        yield return ("Mode", spec.Mode);
        if (spec.Mode == TrainingModes.Lora)
        {
            yield return ("Rank", Number(spec.Rank));
            yield return ("Alpha", Number(spec.Alpha));
            yield return ("Dropout", Number(spec.Dropout));
            yield return ("TargetModules", $"`{spec.TargetModules}`");
            yield return ("UseRslora", spec.UseRslora ? "true" : "false");
            if (spec.LayersToTransform.Count > 0)
            {
                yield return ("LayersToTransform", string.Join(", ", spec.LayersToTransform.Select(layer => Number(layer))));
            }

            foreach (var (pattern, rank) in spec.RankPattern.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                yield return ($"RankPattern `{pattern}`", Number(rank));
            }

            foreach (var (pattern, alpha) in spec.AlphaPattern.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                yield return ($"AlphaPattern `{pattern}`", Number(alpha));
            }
        }

        yield return ("Optimizer", spec.Optimizer);
        yield return ("LearningRate", Number(spec.LearningRate));
        yield return ("WeightDecay", Number(spec.WeightDecay));
        if (spec.Rho is { } rho)
        {
            yield return ("Rho", Number(rho));
        }

        if (spec.HessianUpdateInterval is { } interval)
        {
            yield return ("HessianUpdateInterval", Number(interval));
        }

        yield return ("Scheduler", spec.Scheduler);
        yield return ("WarmupSteps", Number(spec.WarmupSteps));
        yield return ("Epochs", Number(spec.Epochs));
        if (spec.MaxSteps is { } maxSteps)
        {
            yield return ("MaxSteps", Number(maxSteps));
        }

        yield return ("BatchSize", Number(spec.BatchSize));
        yield return ("GradientAccumulationSteps", Number(spec.GradientAccumulationSteps));
        yield return ("MaxSequenceLength", Number(spec.MaxSequenceLength));
        yield return ("Seed", Number(spec.Seed));
        yield return ("Precision", spec.Precision);
        yield return ("Quantization", spec.Quantization);
    }

    private static void AppendMetrics(StringBuilder card, ManifestMetrics metrics)
    {
        card.Append("## Metrics\n\n");
        if (metrics.Train.Count > 0)
        {
            card.Append("| training | value |\n|---|---|\n");
            foreach (var (name, value) in metrics.Train.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                card.Append(CultureInfo.InvariantCulture, $"| {name} | {Number(value)} |\n");
            }

            card.Append('\n');
        }

        var names = metrics.Eval.Before.Keys.Union(metrics.Eval.After.Keys).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            card.Append("No held-out evaluation was run.\n");
            return;
        }

        card.Append("| held-out | before | after |\n|---|---|---|\n");
        foreach (var name in names)
        {
            card.Append(CultureInfo.InvariantCulture, $"| {name} | {Value(metrics.Eval.Before, name)} | {Value(metrics.Eval.After, name)} |\n");
        }
    }

    private static string Value(IReadOnlyDictionary<string, double> values, string name) =>
        values.TryGetValue(name, out var value) ? Number(value) : "–";

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
