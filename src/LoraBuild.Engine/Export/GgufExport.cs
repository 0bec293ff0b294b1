using LoraBuild.Core.Data;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.IO;
using LoraBuild.Core.Manifests;

namespace LoraBuild.Engine.Export;

/// <summary>
/// One GGUF export into a folder: <c>model.gguf</c> from a model folder, <c>adapter.gguf</c> from an adapter folder
/// (its base given or found), and an Ollama <c>Modelfile</c> naming them, with the prompt format the adapter was trained
/// with. Every file is written through a temporary file and a rename.
/// </summary>
public static class GgufExport
{
    public const string ModelFileName = "model.gguf";

    public const string AdapterFileName = "adapter.gguf";

    /// <summary>Runs the export.</summary>
    /// <param name="outputDirectory">The folder to write into (created if needed).</param>
    /// <param name="modelDirectory">A model to export as <see cref="ModelFileName"/>; with an adapter, its base. Null to export only the adapter.</param>
    /// <param name="adapterDirectory">An adapter to export as <see cref="AdapterFileName"/>, or null.</param>
    /// <param name="modelType">The model's tensor type; null keeps its torch_dtype.</param>
    /// <param name="writeModel">False to use <paramref name="modelDirectory"/> only as the adapter's base, without writing <see cref="ModelFileName"/>.</param>
    /// <param name="progressFor">Gives the progress receiver for each file written, by name; null for none.</param>
    public static IReadOnlyList<GgufExportResult> Run(
        string outputDirectory, string? modelDirectory, string? adapterDirectory, GgmlType? modelType, bool writeModel = true, Func<string, IProgress<GgufWriteProgress>?>? progressFor = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        if (modelDirectory is null && adapterDirectory is null)
        {
            throw new ArgumentException("Give a model, an adapter or both.", nameof(modelDirectory));
        }

        var baseModel = modelDirectory ?? AdapterBaseModelLocator.Find(adapterDirectory!);
        Directory.CreateDirectory(outputDirectory);
        var results = new List<GgufExportResult>();
        if (modelDirectory is not null && writeModel)
        {
            results.Add(GgufModelExporter.Export(modelDirectory, Path.Combine(outputDirectory, ModelFileName), modelType, progressFor?.Invoke(ModelFileName)));
        }

        if (adapterDirectory is not null)
        {
            results.Add(GgufAdapterExporter.Export(adapterDirectory, baseModel, Path.Combine(outputDirectory, AdapterFileName), progressFor?.Invoke(AdapterFileName)));
        }

        var modelfile = OllamaModelfile.Render(
            "./" + ModelFileName,
            adapterDirectory is null ? null : "./" + AdapterFileName,
            adapterDirectory is null ? ModelPromptFormat(baseModel) : AdapterPromptFormat(adapterDirectory, baseModel),
            modelExported: modelDirectory is not null && writeModel);
        AtomicFile.WriteAllText(Path.Combine(outputDirectory, OllamaModelfile.FileName), modelfile);
        return results;
    }

    /// <summary>The prompt format the adapter's training data used: alpaca, the chat template's name, or null for plain text.</summary>
    public static string? AdapterPromptFormat(string adapterDirectory, string baseModelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        var manifestPath = Path.Combine(adapterDirectory, TrainingManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            return ModelPromptFormat(baseModelDirectory);
        }

        var datasets = TrainingManifestJson.ReadFile(manifestPath).Spec.Datasets;
        var dataset = datasets.Count > 0 ? datasets[0] : null;
        return dataset?.Format switch
        {
            "alpaca" => OllamaModelfile.AlpacaFormat,
            "chat" => dataset.ChatTemplate ?? ModelPromptFormat(baseModelDirectory),
            _ => null,
        };
    }

    /// <summary>The name of the model's own chat template when LoraBuild knows it, else null.</summary>
    public static string? ModelPromptFormat(string modelDirectory)
    {
        var tokenizerConfig = Path.Combine(modelDirectory, "tokenizer_config.json");
        if (GgufTokenizerMetadata.ChatTemplate(modelDirectory) is null)
        {
            return null;
        }

        try
        {
            return ChatTemplates.DetectFromTokenizerConfig(tokenizerConfig).Name;
        }
        catch (LoraException)
        {
            return null; // a template LoraBuild does not know: the Modelfile passes the prompt through
        }
    }
}
