using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Packaging;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Lora;

/// <summary>
/// An adapter folder in PEFT's layout: <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> (float32
/// <c>base_model.model.&lt;path&gt;.lora_A.weight</c> [r, in] and <c>….lora_B.weight</c> [out, r], metadata
/// <c>{"format": "pt"}</c>). Both files are written through a temporary file and a rename, and the same adapter
/// always gives the same bytes.
/// </summary>
public static class AdapterFiles
{
    /// <summary>The weights file's name in an adapter folder.</summary>
    public const string WeightsFileName = AdapterPackageLayout.WeightsFileName;

    private static readonly Dictionary<string, string> s_metadata = new(StringComparer.Ordinal) { ["format"] = "pt" };

    /// <summary>Writes the adapter's weights, then its configuration, into <paramref name="directory"/> (created if needed).</summary>
    /// <param name="directory">The adapter folder.</param>
    /// <param name="adapter">The adapter to save; merged or not, its LoRA matrices are what is written.</param>
    /// <param name="baseModelNameOrPath">Recorded as <c>base_model_name_or_path</c>: a hub id or the base model's folder.</param>
    /// <param name="revision">Recorded as <c>revision</c>.</param>
    public static void Save(string directory, LoraAdapter adapter, string? baseModelNameOrPath, string? revision = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(adapter);
        Directory.CreateDirectory(directory);

        using (var scope = NewDisposeScope())
        {
            var tensors = adapter.NamedTensors()
                .Select(pair => KeyValuePair.Create(pair.Key, pair.Value.detach().to_type(ScalarType.Float32)))
                .ToList();
            SafeTensorsWriter.Write(Path.Combine(directory, WeightsFileName), tensors, s_metadata);
        }

        AdapterConfigJson.Write(Path.Combine(directory, AdapterConfigJson.FileName), adapter.ToAdapterConfig(baseModelNameOrPath, revision));
    }

    /// <summary>
    /// Reads an adapter folder and puts its LoRA layers on <paramref name="model"/> (a base model without LoRA layers).
    /// </summary>
    /// <param name="directory">The adapter folder.</param>
    /// <param name="model">The base model.</param>
    /// <param name="dropoutGenerator">
    /// To go on training with the configured dropout, the generator for its masks; when null the layers get no dropout,
    /// which is what inference needs.
    /// </param>
    public static LoraAdapter Load(string directory, CausalLanguageModel model, Generator? dropoutGenerator = null) =>
        Load(directory, new CausalLanguageModelLoraHost(model), dropoutGenerator);

    /// <summary>Reads an adapter folder and puts its LoRA layers on any <see cref="ILoraHost"/>.</summary>
    /// <exception cref="LoraException">
    /// The configuration is invalid (LORA1060–LORA1067), its targets do not fit the model (LORA3001–LORA3005), or the
    /// weights are missing, extra, misshapen or not floating point (LORA3006–LORA3010).
    /// </exception>
    public static LoraAdapter Load(string directory, ILoraHost host, Generator? dropoutGenerator = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(host);
        var config = AdapterConfigJson.Read(Path.Combine(directory, AdapterConfigJson.FileName));
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath))
        {
            throw new LoraException(LoraEngineErrorCodes.AdapterWeightsNotFound, $"The adapter folder has no {WeightsFileName}.", weightsPath);
        }

        var settings = dropoutGenerator is null ? config.Lora with { Dropout = 0 } : config.Lora;

        // lora_A's initial values are overwritten by the file; this generator only satisfies the constructor.
        using var placeholder = new Generator(0, CPU);
        var adapter = LoraInjector.Apply(host, settings, placeholder, dropoutGenerator);
        LoadWeights(weightsPath, adapter);
        return adapter;
    }

    /// <summary>Copies the LoRA matrices in <paramref name="weightsPath"/> into <paramref name="adapter"/>'s (unmerged) layers.</summary>
    /// <exception cref="LoraException">A tensor is missing (LORA3007), extra (LORA3008), misshapen (LORA3009) or not floating point (LORA3010).</exception>
    public static void LoadWeights(string weightsPath, LoraAdapter adapter)
    {
        ArgumentException.ThrowIfNullOrEmpty(weightsPath);
        ArgumentNullException.ThrowIfNull(adapter);
        if (adapter.Layers.Any(entry => entry.Layer.Merged))
        {
            throw new InvalidOperationException("Unmerge the adapter before loading new weights into it.");
        }

        using var reader = SafeTensorsReader.Open(weightsPath);

        var expected = adapter.Layers
            .SelectMany(entry => new[]
            {
                (Name: entry.LoraATensorName, Weight: entry.Layer.LoraA.weight),
                (Name: entry.LoraBTensorName, Weight: entry.Layer.LoraB.weight),
            })
            .ToList();
        var expectedNames = expected.Select(item => item.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = reader.Tensors.Select(info => info.Name).Where(name => !expectedNames.Contains(name)).ToList();
        if (unexpected.Count > 0)
        {
            throw new LoraException(
                LoraEngineErrorCodes.AdapterTensorUnexpected,
                $"The file holds {unexpected.Count} tensor(s) that belong to no targeted module, e.g. '{unexpected[0]}'; "
                    + "the configuration's target_modules and layers_to_transform do not match the weights.",
                SafeTensorsLocation.ForTensor(weightsPath, unexpected[0]));
        }

        foreach (var (name, weight) in expected)
        {
            if (!reader.TryGetTensor(name, out var info))
            {
                throw new LoraException(
                    LoraEngineErrorCodes.AdapterTensorMissing,
                    $"The file has no tensor '{name}', which the configuration's target modules imply.",
                    SafeTensorsLocation.ForTensor(weightsPath, name));
            }

            if (!info.Shape.SequenceEqual(weight.shape))
            {
                throw new LoraException(
                    LoraEngineErrorCodes.AdapterTensorShapeMismatch,
                    $"Tensor '{name}' is shaped [{string.Join(", ", info.Shape)}], but the module and the configuration's rank need [{string.Join(", ", weight.shape)}].",
                    SafeTensorsLocation.ForTensor(weightsPath, name));
            }

            if (info.DType is not (SafeTensorsDType.F16 or SafeTensorsDType.BF16 or SafeTensorsDType.F32 or SafeTensorsDType.F64))
            {
                throw new LoraException(
                    LoraEngineErrorCodes.AdapterTensorDTypeInvalid,
                    $"Tensor '{name}' is {info.DType}; LoRA weights are floating point.",
                    SafeTensorsLocation.ForTensor(weightsPath, name));
            }

            using var values = reader.LoadTensor(name, weight.dtype, weight.device);
            using var noGrad = no_grad();
            weight.copy_(values);
        }
    }
}
