using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Lora;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Quantization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Lora;

/// <summary>
/// Puts LoRA layers on a model as PEFT's <c>get_peft_model</c> does: selects linear layers by
/// <see cref="LoraTargetPlanner"/>, wraps each in a <see cref="LoraLinear"/> registered under the same path, and
/// freezes every parameter whose name does not contain <c>lora_</c>.
/// </summary>
/// <remarks>
/// Reproducibility: <c>lora_A</c> matrices are drawn from <c>initGenerator</c> one layer after another in model order
/// (<c>named_modules()</c> order: layer 0's q, k, v, o, gate, up, down, then layer 1's, …, then <c>lm_head</c>), each
/// as a single draw of r·in values; nothing else draws from it. Dropout masks come from <c>dropoutGenerator</c> in
/// forward order. The same seeds, model and settings therefore give identical adapters and identical training.
/// </remarks>
public static class LoraInjector
{
    /// <summary>Puts LoRA layers on a causal language model's decoder projections.</summary>
    /// <exception cref="LoraException">
    /// A target names another family's layer that this model's family does not have (LORA1001), targets match nothing (LORA3001–LORA3003), the
    /// model already has LoRA layers (LORA3004), or a target cannot be replaced (LORA3005).
    /// </exception>
    public static LoraAdapter Apply(CausalLanguageModel model, LoraSettings settings, Generator initGenerator, Generator? dropoutGenerator)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        LlamaLinearModules.RequireNoOtherFamilysNames(settings.Targets, model.Config, location: null);
        return Apply(new CausalLanguageModelLoraHost(model), settings, initGenerator, dropoutGenerator);
    }

    /// <summary>Puts LoRA layers on any <see cref="ILoraHost"/>.</summary>
    /// <param name="host">The model.</param>
    /// <param name="settings">Rank, alpha, dropout, targets and patterns.</param>
    /// <param name="initGenerator">The generator <c>lora_A</c> is drawn from, usually CPU so that every device gets the same adapter.</param>
    /// <param name="dropoutGenerator">The generator dropout masks are drawn from; the trainer sets its own run generator on every layer, so null is fine when training through <see cref="Training.Trainer"/>.</param>
    public static LoraAdapter Apply(ILoraHost host, LoraSettings settings, Generator initGenerator, Generator? dropoutGenerator)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(initGenerator);
        settings.Validate(null);
        var linearLayers = FindLinearLayers(host.Root);
        var plan = LoraTargetPlanner.Plan(
            [.. linearLayers.Select(pair => new LinearModuleInfo(pair.Path, pair.InFeatures, pair.OutFeatures))],
            host.OutputHeadPath,
            settings);

        var fixedPaths = plan.Targets.Select(target => target.Path).Where(path => !host.CanReplace(path)).ToList();
        if (fixedPaths.Count > 0)
        {
            throw new LoraException(
                LoraEngineErrorCodes.TargetNotReplaceable,
                $"The model cannot put LoRA layers on {string.Join(", ", fixedPaths.Select(path => $"'{path}'"))}; choose other target modules.");
        }

        var byPath = linearLayers.ToDictionary(pair => pair.Path, pair => pair.Layer, StringComparer.Ordinal);
        var layers = new List<LoraAdapterLayer>(plan.Targets.Count);
        foreach (var target in plan.Targets)
        {
            var layer = new LoraLinear(byPath[target.Path], target.Rank, target.Alpha, settings.UseRslora, settings.Dropout, initGenerator, dropoutGenerator);
            layers.Add(new LoraAdapterLayer(target.Path, layer));
        }

        host.Replace(layers.ToDictionary(entry => entry.Path, entry => (nn.Module<Tensor, Tensor>)entry.Layer, StringComparer.Ordinal));
        FreezeAllButLora(host.Root);
        return new LoraAdapter(settings with { Targets = plan.ResolvedTargets }, layers);
    }

    /// <summary>Takes a causal language model's LoRA layers off again (see <see cref="Unwrap(ILoraHost, LoraAdapter)"/>).</summary>
    public static void Unwrap(CausalLanguageModel model, LoraAdapter adapter) =>
        Unwrap(new CausalLanguageModelLoraHost(model), adapter);

    /// <summary>
    /// Puts every layer's <see cref="LoraLinear.BaseLayer"/> back under its path, so the model's state dict has its
    /// original names again (<c>…q_proj.weight</c>, not <c>…q_proj.base_layer.weight</c>). A merged adapter's update stays
    /// in the base weights, which is how a merged model is made; an unmerged one leaves the base model as it was.
    /// The LoRA matrices are released: the adapter cannot be used afterwards. Parameters stay frozen.
    /// </summary>
    public static void Unwrap(ILoraHost host, LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(adapter);
        host.Replace(adapter.Layers.ToDictionary(entry => entry.Path, entry => (nn.Module<Tensor, Tensor>)entry.Layer.BaseLayer, StringComparer.Ordinal));
        foreach (var entry in adapter.Layers)
        {
            // Not the LoraLinear itself: disposing a module disposes its children, and base_layer lives on in the model.
            entry.Layer.LoraA.Dispose();
            entry.Layer.LoraB.Dispose();
        }
    }

    /// <summary>
    /// The linear layers in PyTorch's <c>named_modules()</c> order, a depth-first walk (layer 0's projections, …, then
    /// <c>lm_head</c>). TorchSharp's own <c>named_modules()</c> lists a module's children before their descendants,
    /// which would put <c>lm_head</c> first.
    /// </summary>
    private static List<(string Path, nn.Module<Tensor, Tensor> Layer, long InFeatures, long OutFeatures)> FindLinearLayers(nn.Module root)
    {
        var found = new List<(string Path, nn.Module<Tensor, Tensor> Layer, long InFeatures, long OutFeatures)>();
        Walk(root, string.Empty);
        return found;

        void Walk(nn.Module module, string prefix)
        {
            foreach (var (name, child) in module.named_children())
            {
                var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
                if (child is LoraLinear)
                {
                    throw new LoraException(LoraEngineErrorCodes.AlreadyAdapted, $"The model already has a LoRA layer at '{path}'; LoRA layers are put on a base model once.");
                }

                if (child is Linear linear)
                {
                    found.Add((path, linear, linear.weight.shape[1], linear.weight.shape[0]));
                }
                else if (child is QuantizedLinear quantized)
                {
                    found.Add((path, quantized, quantized.InFeatures, quantized.OutFeatures));
                }

                Walk(child, path);
            }
        }
    }

    /// <summary>PEFT's <c>_mark_only_adapters_as_trainable</c> with <c>bias="none"</c>.</summary>
    private static void FreezeAllButLora(nn.Module root)
    {
        foreach (var (name, parameter) in root.named_parameters())
        {
            parameter.requires_grad = name.Contains("lora_", StringComparison.Ordinal);
        }
    }
}
