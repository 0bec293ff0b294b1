using LoraBuild.Core.Adapters;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Lora;

/// <summary>The LoRA layers put on one model, with the settings they were made from.</summary>
public sealed class LoraAdapter
{
    internal LoraAdapter(LoraSettings settings, IReadOnlyList<LoraAdapterLayer> layers)
    {
        Settings = settings;
        Layers = layers;
    }

    /// <summary>The settings, with <c>all-linear</c> resolved to module names (what <c>adapter_config.json</c> records).</summary>
    public LoraSettings Settings { get; }

    /// <summary>The LoRA layers in model order.</summary>
    public IReadOnlyList<LoraAdapterLayer> Layers { get; }

    /// <summary>Whether every layer has its update folded into the base weight.</summary>
    public bool Merged => Layers.All(entry => entry.Layer.Merged);

    /// <summary>The number of trainable values: r·(in + out) summed over the layers.</summary>
    public long TrainableParameterCount => Layers.Sum(entry => entry.Layer.Rank * (entry.Layer.InFeatures + entry.Layer.OutFeatures));

    /// <summary>Turns every layer's LoRA path on or off (off gives the base model's outputs).</summary>
    public void SetEnabled(bool enabled)
    {
        foreach (var entry in Layers)
        {
            entry.Layer.AdapterEnabled = enabled;
        }
    }

    /// <summary><c>lora_A</c> then <c>lora_B</c> of each layer, in model order: what an optimizer trains.</summary>
    public IReadOnlyList<Parameter> TrainableParameters() =>
        [.. Layers.SelectMany(entry => new[] { entry.Layer.LoraA.weight, entry.Layer.LoraB.weight })];

    /// <summary>Folds every layer's update into its base weight (see <see cref="LoraLinear.Merge"/>).</summary>
    public void Merge()
    {
        foreach (var entry in Layers)
        {
            entry.Layer.Merge();
        }
    }

    /// <summary>Takes every layer's update out of its base weight again.</summary>
    public void Unmerge()
    {
        foreach (var entry in Layers)
        {
            entry.Layer.Unmerge();
        }
    }

    /// <summary>
    /// The adapter's tensors under PEFT's file names (<c>base_model.model.&lt;path&gt;.lora_A.weight</c> [r, in] and
    /// <c>….lora_B.weight</c> [out, r]), in model order. These are the live weights: do not dispose or modify them.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedTensors() =>
        [.. Layers.SelectMany(entry => new[]
        {
            KeyValuePair.Create(entry.LoraATensorName, (Tensor)entry.Layer.LoraA.weight),
            KeyValuePair.Create(entry.LoraBTensorName, (Tensor)entry.Layer.LoraB.weight),
        })];

    /// <summary>The <c>adapter_config.json</c> content for this adapter.</summary>
    public AdapterConfig ToAdapterConfig(string? baseModelNameOrPath, string? revision = null) => new()
    {
        Lora = Settings,
        BaseModelNameOrPath = baseModelNameOrPath,
        Revision = revision,
    };
}
