using System.Globalization;
using System.Text;
using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Packaging;

namespace LoraBuild.Engine.Reports;

/// <summary>
/// Renders <c>report.md</c>: metrics before and after, the charts, training figures, a few sample answers, settings and
/// data hashes. Timings (wall time, throughput, peak memory) are left out, so equal inputs give an equal report.
/// </summary>
public static class AdapterReport
{
    /// <summary>How many samples the report shows; every sample is in <c>eval_outputs.json</c>.</summary>
    public const int SampleCount = 5;

    private static readonly HashSet<string> s_counts = new(StringComparer.Ordinal) { "samples", "target_tokens" };

    /// <summary>The keys of the generation metrics to chart: every key the per-sample outputs aggregate, in ordinal order.</summary>
    public static IReadOnlyList<(string Name, double Before, double After)> ChartedMetrics(AdapterReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Outputs is not { } outputs)
        {
            return [];
        }

        return [.. outputs.Before.Keys.Union(outputs.After.Keys).Order(StringComparer.Ordinal)
            .Select(key => (key, outputs.Before.GetValueOrDefault(key), outputs.After.GetValueOrDefault(key)))];
    }

    /// <summary>The report's Markdown, linking the charts by their file names in the same folder.</summary>
    /// <param name="input">The content.</param>
    /// <param name="hasLossCurve">Whether <c>loss_curve.png</c> is written beside it.</param>
    /// <param name="hasMetricsChart">Whether <c>metrics.png</c> is written beside it.</param>
    public static string Render(AdapterReportInput input, bool hasLossCurve, bool hasMetricsChart)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# {input.AdapterName}: evaluation report\n\n");
        text.Append(input.Origin);
        if (input.Manifest is { } manifest)
        {
            text.Append(CultureInfo.InvariantCulture, $" Base model `{BaseModelId.Of(manifest.Spec)}`, fingerprint `{manifest.Fingerprint}`, ");
            text.Append(CultureInfo.InvariantCulture, $"trained by LoraBuild {manifest.Engine.LoraBuildVersion}.");
        }

        text.Append("\n\n");
        AppendMetrics(text, input, hasMetricsChart);
        AppendTraining(text, input, hasLossCurve);
        AppendSamples(text, input);
        if (input.Manifest is { } trained)
        {
            AppendSettings(text, trained);
            AppendData(text, trained);
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    private static void AppendMetrics(StringBuilder text, AdapterReportInput input, bool hasMetricsChart)
    {
        text.Append("## Held-out metrics\n\n");
        if (input.EvalData.Count > 0)
        {
            text.Append("Measured on ");
            text.AppendJoin(", ", input.EvalData.Select(file => $"`{file.Path}` (SHA-256 `{file.Sha256}`)"));
            text.Append(", before training (the base model) and after (base model + adapter).\n\n");
        }

        var names = input.Before.Keys.Union(input.After.Keys).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
        {
            text.Append("No held-out evaluation was run: the adapter has no eval data.\n\n");
            return;
        }

        text.Append("| metric | before | after | change |\n|---|---:|---:|---:|\n");
        foreach (var name in names)
        {
            var before = input.Before.TryGetValue(name, out var b) ? b : (double?)null;
            var after = input.After.TryGetValue(name, out var a) ? a : (double?)null;
            var change = before is { } x && after is { } y && !s_counts.Contains(name) ? Signed(y - x) : "–";
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {Number(before, name)} | {Number(after, name)} | {change} |\n");
        }

        text.Append('\n');
        text.Append(hasMetricsChart
            ? $"![Generation metrics before and after]({AdapterPackageLayout.MetricsChartFileName})\n\n"
            : "No generation metric was computed (no eval record has a prompt to answer), so there is no metrics chart.\n\n");
    }

    private static void AppendTraining(StringBuilder text, AdapterReportInput input, bool hasLossCurve)
    {
        text.Append("## Training\n\n");
        var train = input.Manifest?.Metrics.Train
            .Where(pair => !PackagedManifest.MachineDependentMetrics.Contains(pair.Key))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .ToList() ?? [];
        if (train.Count > 0)
        {
            text.Append("| training | value |\n|---|---:|\n");
            foreach (var (name, value) in train)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {name} | {Number(value, name)} |\n");
            }

            text.Append('\n');
        }

        if (hasLossCurve && input.History is { } history)
        {
            text.Append(CultureInfo.InvariantCulture, $"![Train and eval loss and the learning rate over {history.Steps.Count} optimizer steps]({AdapterPackageLayout.LossCurveFileName})\n\n");
            if (history.Eval.Count > 0)
            {
                text.Append("Eval loss at step ");
                text.AppendJoin(", ", history.Eval.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Step}: {Number(e.Loss)}")));
                text.Append(".\n\n");
            }
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"No training history (`{AdapterPackageLayout.HistoryFileName}`) was found beside the adapter, so there is no loss curve.\n\n");
        }
    }

    private static void AppendSamples(StringBuilder text, AdapterReportInput input)
    {
        if (input.Outputs is not { Samples.Count: > 0 } outputs)
        {
            return;
        }

        var shown = outputs.Samples.Take(SampleCount).ToList();
        // A metric's score key is its name in snake_case (exact-match → exact_match).
        var key = outputs.Metrics.Count > 0 ? outputs.Metrics[0].Replace('-', '_') : null;
        text.Append("## Sample answers\n\n");
        text.Append(CultureInfo.InvariantCulture, $"The first {shown.Count} of {outputs.Samples.Count} samples; `{Core.Evaluation.Outputs.EvalOutputs.FileName}` holds every one with its prompt and scores.\n\n");
        var scored = key is not null ? $" ({key})" : string.Empty;
        text.Append(CultureInfo.InvariantCulture, $"| # | source | expected | before{scored} | after{scored} |\n|---:|---|---|---|---|\n");
        foreach (var sample in shown)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {sample.Index} | {Cell(sample.Source)} | {Cell(sample.Expected)} | {Answer(sample.Before, key)} | {Answer(sample.After, key)} |\n");
        }

        text.Append('\n');
    }

    private static void AppendSettings(StringBuilder text, TrainingManifest manifest)
    {
        text.Append("## Settings\n\n| setting | value |\n|---|---|\n");
        foreach (var (name, value) in ModelCard.Settings(manifest.Spec))
        {
            text.Append(CultureInfo.InvariantCulture, $"| {name} | {value} |\n");
        }

        text.Append('\n');
    }

    private static void AppendData(StringBuilder text, TrainingManifest manifest)
    {
        text.Append("## Data\n\n| role | file | SHA-256 |\n|---|---|---|\n");
        foreach (var file in manifest.Inputs.Datasets)
        {
            text.Append(CultureInfo.InvariantCulture, $"| train | `{file.Path}` | `{file.Sha256}` |\n");
        }

        foreach (var file in manifest.Inputs.EvalDatasets)
        {
            text.Append(CultureInfo.InvariantCulture, $"| eval | `{file.Path}` | `{file.Sha256}` |\n");
        }

        foreach (var (file, sha256) in manifest.Inputs.BaseModelFiles.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"| base model | `{file}` | `{sha256}` |\n");
        }

        text.Append('\n');
    }

    private static string Answer(Core.Evaluation.Outputs.EvalAnswer answer, string? key)
    {
        var cell = Cell(answer.Output);
        return key is not null && answer.Scores.TryGetValue(key, out var score) ? $"{cell} ({Number(score)})" : cell;
    }

    /// <summary>Text made safe for one Markdown table cell: pipes and markup escaped, line breaks as &lt;br&gt;.</summary>
    internal static string Cell(string value)
    {
        if (value.Length == 0)
        {
            return "*(empty)*";
        }

        var cell = new StringBuilder(value.Length);
        foreach (var c in value.ReplaceLineEndings("\n"))
        {
            switch (c)
            {
                case '\n':
                    cell.Append("<br>");
                    break;
                case '<':
                    cell.Append("&lt;");
                    break;
                case '>':
                    cell.Append("&gt;");
                    break;
                case '&':
                    cell.Append("&amp;");
                    break;
                case '|' or '\\' or '`' or '*' or '_' or '[' or ']' or '#':
                    cell.Append('\\').Append(c);
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }

        return cell.ToString();
    }

    private static string Number(double? value, string? name = null) =>
        value is { } v ? ReportNumbers.Format(v, name) : "–";

    private static string Signed(double value) => ReportNumbers.Change(value);
}
