using LoraBuild.Core.Adapters;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Models;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Native;
using LoraBuild.Engine.Quantization;
using LoraBuild.Engine.SafeTensors;
using LoraBuild.Engine.Tokenizers;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Checkpoints;

/// <summary>
/// A model directory in Hugging Face layout, loaded: <c>config.json</c>, <c>model.safetensors</c> or a sharded
/// <c>model.safetensors.index.json</c>, the tokenizer files and <c>generation_config.json</c> — optionally with a
/// PEFT adapter folder on top, ready for inference.
/// </summary>
public sealed class PretrainedModel : IDisposable
{
    private PretrainedModel(
        string directory,
        ModelConfig config,
        CausalLanguageModel model,
        HuggingFaceTokenizer tokenizer,
        GenerationConfig generation,
        string? adapterDirectory,
        LoraAdapter? adapter,
        IReadOnlyList<string> warnings,
        QuantizationSummary? quantized)
    {
        Directory = directory;
        Config = config;
        Model = model;
        Tokenizer = tokenizer;
        Generation = generation;
        AdapterDirectory = adapterDirectory;
        Adapter = adapter;
        Warnings = warnings;
        Quantized = quantized;
    }

    public string Directory { get; }

    public ModelConfig Config { get; }

    public CausalLanguageModel Model { get; }

    public HuggingFaceTokenizer Tokenizer { get; }

    public GenerationConfig Generation { get; }

    /// <summary>The adapter folder loaded onto the base (full path), or null.</summary>
    public string? AdapterDirectory { get; }

    /// <summary>The adapter's LoRA layers on <see cref="Model"/>; null without an adapter, and after <see cref="MergeAdapter"/>.</summary>
    public LoraAdapter? Adapter { get; private set; }

    /// <summary>
    /// What the caller should tell the user but that does not stop loading: for now, that the adapter seems to have been
    /// trained on another base model (see <see cref="AdapterBaseModelCheck"/>).
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>What quantizing the base did, when it was quantized; null for a base as loaded.</summary>
    public QuantizationSummary? Quantized { get; }

    /// <summary>Every id that ends a generation: the tokenizer's, config.json's and generation_config.json's eos ids.</summary>
    public IReadOnlySet<int> EosTokenIds =>
        Tokenizer.EosTokenIds.Concat(Config.EosTokenIds).Concat(Generation.EosTokenIds).ToHashSet();

    /// <summary>
    /// Loads the model in <paramref name="dtype"/> (default: float32) on <paramref name="device"/> (default: CPU),
    /// in evaluation mode. The weights file is memory-mapped: a weight stored in <paramref name="dtype"/> is a view of the
    /// mapped pages (read when first used, never copied), any other is converted from them.
    /// </summary>
    /// <param name="directory">The base model folder.</param>
    /// <param name="dtype">The dtype of the base weights; LoRA matrices stay float32.</param>
    /// <param name="device">Where the weights live.</param>
    /// <param name="adapterDirectory">
    /// An adapter folder (<c>adapter_config.json</c> and <c>adapter_model.safetensors</c>) to put on the base for
    /// inference: frozen, without dropout, unmerged. Its base model is checked against <paramref name="directory"/>, and
    /// a mismatch is reported in <see cref="Warnings"/>.
    /// </param>
    /// <exception cref="Core.Diagnostics.LoraException">
    /// A file of the model (LORA2xxx) or of the adapter (LORA1060–LORA1067, LORA3001–LORA3010) is missing or invalid.
    /// </exception>
    public static PretrainedModel Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null, string? adapterDirectory = null) =>
        Load(directory, dtype, device, adapterDirectory, Quantizations.None);

    /// <summary>
    /// As <see cref="Load(string, ScalarType, Device?, string?)"/>, with the decoder's linear layers quantized to
    /// <paramref name="quantization"/> after the weights load and before the adapter goes on: the order training uses,
    /// so an adapter sees the base it was trained on (see <see cref="SpecModelLoader"/>).
    /// </summary>
    /// <param name="quantization">A <see cref="Quantizations"/> name; <c>none</c> leaves the base as loaded.</param>
    /// <inheritdoc cref="Load(string, ScalarType, Device?, string?)" path="/param"/>
    public static PretrainedModel Load(string directory, ScalarType dtype, Device? device, string? adapterDirectory, string quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        TorchRuntime.EnsureLoaded();
        var fullPath = Path.GetFullPath(directory);
        var config = ModelConfig.Load(Path.Combine(fullPath, "config.json"));
        var tokenizer = HuggingFaceTokenizer.Load(fullPath);
        var generation = GenerationConfig.Load(fullPath);
        var model = CausalLanguageModel.Create(config, dtype, device ?? CPU);
        string? adapterPath = null;
        LoraAdapter? adapter = null;
        IReadOnlyList<string> warnings = [];
        QuantizationSummary? quantized = null;
        try
        {
            using (var reader = SafeTensorsModel.Open(fullPath))
            using (var scope = NewDisposeScope())
            {
                // Weights stored in the wanted dtype become views of the memory-mapped file; others are converted from it.
                var tensors = reader.Tensors.ToDictionary(info => info.Name, info => reader.MapTensor(info.Name, dtype), StringComparer.Ordinal);
                model.AdoptStateDict(tensors, SafeTensorsModel.FindWeights(fullPath));
            }

            if (quantization != Quantizations.None)
            {
                var (layers, bytesBefore, bytesAfter) = ModelQuantizer.QuantizeDecoderLinearLayers(model, quantization);
                quantized = new QuantizationSummary(quantization, layers, bytesBefore, bytesAfter);
            }

            if (adapterDirectory is not null)
            {
                adapterPath = Path.GetFullPath(adapterDirectory);
                adapter = AdapterFiles.Load(adapterPath, model);
                foreach (var parameter in adapter.TrainableParameters())
                {
                    parameter.requires_grad = false;
                }

                var adapterConfig = AdapterConfigJson.Read(Path.Combine(adapterPath, AdapterConfigJson.FileName));
                warnings = AdapterBaseModelCheck.Check(fullPath, adapterPath, adapterConfig, new FileHashCache(AdapterBaseModelCheck.DefaultHashCacheFile));
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }

        model.eval();
        return new PretrainedModel(fullPath, config, model, tokenizer, generation, adapterPath, adapter, warnings, quantized);
    }

    /// <summary>
    /// Folds the adapter's update into the base weights (W + scale·B·A, computed in float32 and rounded once to the
    /// weights' dtype) and takes its LoRA layers off, leaving a plain model whose state dict has Hugging Face names again:
    /// what a merged checkpoint holds.
    /// </summary>
    /// <exception cref="InvalidOperationException">No adapter is loaded.</exception>
    public void MergeAdapter()
    {
        var adapter = Adapter ?? throw new InvalidOperationException("No adapter is loaded to merge.");
        adapter.Merge();
        LoraInjector.Unwrap(Model, adapter);
        Adapter = null;
    }

    public void Dispose() => Model.Dispose();
}
