using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Core.Packaging;

/// <summary>
/// Where things live inside an adapter package: <c>lora/&lt;Adapter&gt;/</c> holds each adapter's files and its model card;
/// <c>build/</c> and <c>buildTransitive/</c> hold the MSBuild files named after the package id.
/// </summary>
public static class AdapterPackageLayout
{
    /// <summary>The top-level folder of adapters in a package, and of adapters copied to a consumer's output.</summary>
    public const string AdaptersFolder = "lora";

    /// <summary>The file name of the weights inside an adapter folder.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>The file name of an adapter's model card.</summary>
    public const string ModelCardFileName = "README.md";

    /// <summary>The per-step training history (losses, learning rates, eval losses; no timings) written beside the adapter.</summary>
    public const string HistoryFileName = "training_history.json";

    /// <summary>The Markdown report on an adapter: settings, data, metrics before and after, sample answers, charts.</summary>
    public const string ReportFileName = "report.md";

    /// <summary>The chart of train and eval loss and the learning rate over the optimizer steps.</summary>
    public const string LossCurveFileName = "loss_curve.png";

    /// <summary>The bar chart of every generation metric before and after training.</summary>
    public const string MetricsChartFileName = "metrics.png";

    /// <summary>
    /// The files a training run writes beside the adapter when it has the data for them (evaluation outputs, history,
    /// report and charts): packed with the adapter when present, never required, never copied to a consumer's output.
    /// </summary>
    public static IReadOnlyList<string> ReportFiles { get; } =
        [EvalOutputs.FileName, HistoryFileName, ReportFileName, LossCurveFileName, MetricsChartFileName];

    /// <summary>The files an adapter folder must hold to be packed, in the order they are listed.</summary>
    public static IReadOnlyList<string> RequiredFiles { get; } = [AdapterConfigJson.FileName, WeightsFileName, TrainingManifest.FileName];

    /// <summary>Every file an adapter folder holds in a package: the required files and the model card.</summary>
    public static IReadOnlyList<string> PackagedFiles { get; } = [.. RequiredFiles, ModelCardFileName];

    /// <summary>
    /// The report files present in <paramref name="adapterDirectory"/>, in <see cref="ReportFiles"/> order: what a package
    /// takes from the folder besides <see cref="RequiredFiles"/>.
    /// </summary>
    public static IReadOnlyList<string> ReportFilesIn(string adapterDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        return [.. ReportFiles.Where(file => File.Exists(Path.Combine(adapterDirectory, file)))];
    }

    /// <summary>The path of <paramref name="fileName"/> of <paramref name="adapterName"/> inside a package, with forward slashes.</summary>
    public static string PackagePath(string adapterName, string fileName) => $"{AdaptersFolder}/{adapterName}/{fileName}";

    /// <summary>Throws unless <paramref name="name"/> can be a folder name in a package and in any consumer's output on any OS.</summary>
    /// <param name="name">The adapter name.</param>
    /// <param name="location">Where the name comes from, for the error.</param>
    /// <exception cref="LoraException">LORA4102: the name is empty, <c>.</c>/<c>..</c>, or has other characters than letters, digits, <c>.</c>, <c>_</c>, <c>-</c>.</exception>
    public static void ValidateAdapterName(string? name, string? location = null)
    {
        if (string.IsNullOrEmpty(name)
            || name is "." or ".."
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new LoraException(
                PackagingErrorCodes.AdapterNameInvalid,
                $"The adapter name '{name}' cannot be a folder in a package: use letters, digits, '.', '_' and '-' only.",
                location);
        }
    }
}
