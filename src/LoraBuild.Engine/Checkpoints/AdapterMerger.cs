using System.Text.Json;
using System.Text.Json.Nodes;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Manifests;
using LoraBuild.Core.Models;
using LoraBuild.Core.Specs;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Checkpoints;

/// <summary>What <see cref="AdapterMerger.Merge"/> did.</summary>
/// <param name="Layers">How many LoRA layers were folded into the base weights.</param>
/// <param name="Settings">The adapter's rank, alpha and targets.</param>
/// <param name="DType">The dtype the merged weights were written in.</param>
/// <param name="Warnings">Doubts about the pair, such as a base model other than the adapter's (see <see cref="AdapterBaseModelCheck"/>).</param>
public sealed record MergeResult(int Layers, LoraSettings Settings, ScalarType DType, IReadOnlyList<string> Warnings);

/// <summary>
/// Folds an adapter into its base model and writes the result as an ordinary Hugging Face model folder, which loads
/// without any LoRA code: W' = W + scale·B·A for every adapted layer, added in float32 and rounded once to the output
/// dtype.
/// </summary>
public static class AdapterMerger
{
    /// <summary>Merges the adapter in <paramref name="adapterDirectory"/> into the model in <paramref name="modelDirectory"/>.</summary>
    /// <param name="modelDirectory">The base model folder.</param>
    /// <param name="adapterDirectory">The adapter folder.</param>
    /// <param name="outputDirectory">
    /// The folder to write: <c>config.json</c> (the base's, with <c>torch_dtype</c> set to <paramref name="dtype"/>),
    /// the weights, and the base's tokenizer and generation files. It appears at once, replacing any folder there.
    /// </param>
    /// <param name="dtype">The output dtype; null keeps the base's <c>torch_dtype</c>, or float32 when it names none of ours.</param>
    /// <param name="maxShardBytes">Split the weights into shards of at most this many bytes; null writes one file.</param>
    /// <param name="device">Where the merge is computed (<see cref="Core.Specs.Devices"/>); the CPU when null.</param>
    /// <exception cref="Core.Diagnostics.LoraException">The model or adapter cannot be loaded (LORA1xxx, LORA2xxx, LORA3xxx), or the device is not there (LORA5008).</exception>
    public static MergeResult Merge(string modelDirectory, string adapterDirectory, string outputDirectory, ScalarType? dtype = null, long? maxShardBytes = null, string? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var config = ModelConfig.Load(Path.Combine(modelDirectory, "config.json"));
        var target = dtype ?? (HuggingFaceDTypes.TryParse(config.TorchDtype, out var stated) ? stated : ScalarType.Float32);
        using var loaded = PretrainedModel.Load(modelDirectory, LoadDType(modelDirectory, target), device is null ? CPU : Native.DeviceResolver.Resolve(device, "--device"), adapterDirectory);
        var adapter = loaded.Adapter!;
        loaded.MergeAdapter();

        var configJson = WithTorchDType(File.ReadAllText(Path.Combine(loaded.Directory, "config.json")), HuggingFaceDTypes.NameOf(target));
        CheckpointWriter.Write(outputDirectory, loaded.Model, configJson, loaded.Directory, maxShardBytes, target);
        return new MergeResult(adapter.Layers.Count, adapter.Settings, target, [.. loaded.Warnings, .. QloraWarnings(adapterDirectory)]);
    }

    /// <summary>
    /// A warning when the adapter's manifest says it was trained on an NF4 base: its update was learned against the
    /// quantized weights, and adding it to the original ones gives a model it was never trained as.
    /// </summary>
    private static IEnumerable<string> QloraWarnings(string adapterDirectory)
    {
        var manifestPath = Path.Combine(adapterDirectory, TrainingManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            yield break;
        }

        string? quantization;
        try
        {
            quantization = TrainingManifestJson.ReadFile(manifestPath).Spec.Quantization;
        }
        catch (LoraException)
        {
            yield break; // the base model check has already said the manifest cannot be read
        }

        if (quantization is not null && quantization != Quantizations.None)
        {
            yield return $"{LoraEngineErrorCodes.MergeOfQloraAdapter}: the adapter was trained on a quantized ({quantization.ToUpperInvariant()}) base (QLoRA). Its update was learned "
                + "against the quantized weights, and merging adds it to the original ones, which differ from them by the quantization error, so the "
                + "merged model can answer differently from the adapter on its quantized base. Evaluate the merged model (dotnet lora eval) before relying on it.";
        }
    }

    /// <summary>
    /// The output dtype when every stored weight already has it, float32 otherwise. Loading a bfloat16 base as bfloat16
    /// gives the same merged bits as loading it as float32 (the merge adds in float32 and rounds once either way) at
    /// half the memory; a float32 base merged into bfloat16 must be read as float32 to be rounded only once.
    /// </summary>
    private static ScalarType LoadDType(string modelDirectory, ScalarType target)
    {
        if (target == ScalarType.Float32)
        {
            return target;
        }

        using var reader = SafeTensorsModel.Open(modelDirectory);
        return reader.Tensors.All(tensor => SafeTensorsTorchTypes.TryGetScalarType(tensor.DType, out var stored) && stored == target)
            ? target
            : ScalarType.Float32;
    }

    /// <summary>
    /// <paramref name="configJson"/> with <c>torch_dtype</c> (and <c>dtype</c>, which newer transformers write instead,
    /// when present) set to <paramref name="dtypeName"/>; the text unchanged when it already says so.
    /// </summary>
    public static string WithTorchDType(string configJson, string dtypeName)
    {
        ArgumentNullException.ThrowIfNull(configJson);
        ArgumentException.ThrowIfNullOrEmpty(dtypeName);
        var root = JsonNode.Parse(configJson)?.AsObject() ?? throw new JsonException("config.json is not a JSON object.");
        string[] keys = root.ContainsKey("dtype") ? ["torch_dtype", "dtype"] : ["torch_dtype"];
        if (keys.All(key => root[key] is JsonValue value && value.TryGetValue<string>(out var name) && name == dtypeName))
        {
            return configJson;
        }

        foreach (var key in keys)
        {
            root[key] = dtypeName;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2 }) + "\n";
    }
}
