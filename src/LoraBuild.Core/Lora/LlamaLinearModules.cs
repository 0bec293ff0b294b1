using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Lora;

/// <summary>
/// The linear layers of a decoder family LoraBuild implements (Llama, Mistral, Qwen, Gemma: seven per layer; Phi-3: four,
/// fused) under their Hugging Face module paths, worked out from <c>config.json</c> alone: what LoRA targets can name
/// without loading the model.
/// </summary>
public static class LlamaLinearModules
{
    /// <summary>The output head's module path; it exists only when the embeddings are not tied.</summary>
    public const string OutputHead = "lm_head";

    /// <summary>Every linear layer of the model <paramref name="config"/> describes, in model order, <c>lm_head</c> last unless tied.</summary>
    public static IReadOnlyList<LinearModuleInfo> For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var projections = ParameterCounts.DecoderLinearLayers(config);
        var modules = new List<LinearModuleInfo>((projections.Count * config.NumHiddenLayers) + 1);
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            modules.AddRange(projections.Select(projection => new LinearModuleInfo($"model.layers.{layer}.{projection.Path}", projection.InFeatures, projection.OutFeatures)));
        }

        if (OutputHeadPath(config) is { } head)
        {
            modules.Add(new LinearModuleInfo(head, config.HiddenSize, config.VocabSize));
        }

        return modules;
    }

    /// <summary>The output head's path, or null when it is tied to the embeddings (and so is no linear layer of its own).</summary>
    public static string? OutputHeadPath(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.TieWordEmbeddings ? null : OutputHead;
    }

    /// <summary>
    /// Checks that every name in <paramref name="targets"/> can select a linear layer of some family LoraBuild implements
    /// (as a whole path or its trailing segments, layer numbers being any layer's), for a spec that does not yet know its
    /// model. Patterns and <c>all-linear</c> pass.
    /// </summary>
    /// <exception cref="LoraException">A name selects nothing any family has (LORA1001).</exception>
    public static void RequireKnownNames(AdapterTargets targets, string? location)
    {
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var name in targets.Names)
        {
            if (!ModelArchitectures.All.Any(architecture => Selects(architecture, name)))
            {
                throw new LoraException(
                    LoraErrorCodes.UnknownTargetModule,
                    $"'{name}' is not a linear layer of any model family LoraBuild builds; use {string.Join("; ", ModelArchitectures.All.Select(NameList).Distinct())}, "
                        + $"{OutputHead}, '{AdapterTargets.AllLinearKeyword}', or a regular expression ('{AdapterTargets.RegexPrefix}…').",
                    location);
            }
        }
    }

    /// <summary>
    /// Checks that every name in <paramref name="targets"/> can select a linear layer of the model <paramref name="config"/>
    /// describes: <c>q_proj</c> is no layer of Phi-3, whose attention has one fused <c>qkv_proj</c>, and <c>qkv_proj</c> is
    /// none of Llama. Patterns and <c>all-linear</c> pass.
    /// </summary>
    /// <exception cref="LoraException">A name selects nothing this family has (LORA1001).</exception>
    public static void RequireKnownNames(AdapterTargets targets, ModelConfig config, string? location)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(config);
        foreach (var name in targets.Names)
        {
            RequireKnownName(config.Descriptor, name, location);
        }
    }

    /// <summary>
    /// As <see cref="RequireKnownNames(AdapterTargets, ModelConfig, string?)"/>, but only for names another family's layers
    /// answer to (<c>q_proj</c> on Phi-3, <c>qkv_proj</c> on Llama); a name no family has is left to the target planner,
    /// whose error lists the model's layers.
    /// </summary>
    /// <exception cref="LoraException">A name selects a layer of another family but none of this one (LORA1001).</exception>
    public static void RequireNoOtherFamilysNames(AdapterTargets targets, ModelConfig config, string? location)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(config);
        foreach (var name in targets.Names.Where(name => ModelArchitectures.All.Any(architecture => Selects(architecture, name))))
        {
            RequireKnownName(config.Descriptor, name, location);
        }
    }

    private static void RequireKnownName(ModelArchitecture architecture, string name, string? location)
    {
        if (!Selects(architecture, name))
        {
            throw new LoraException(
                LoraErrorCodes.UnknownTargetModule,
                $"'{name}' is not a linear layer of a {architecture.HuggingFaceClass}; use {NameList(architecture)}, {OutputHead}, "
                    + $"'{AdapterTargets.AllLinearKeyword}', or a regular expression ('{AdapterTargets.RegexPrefix}…').",
                location);
        }
    }

    private static bool Selects(ModelArchitecture architecture, string name)
    {
        var single = AdapterTargets.FromNames([AnyLayerAsZero(name)]);
        return TemplatePaths(architecture).Any(path => single.MatchesExplicitly(path, out _));
    }

    /// <summary>Any decoder layer's linear layers, in model order, with layer 0 standing for every layer, then the head.</summary>
    private static IEnumerable<string> TemplatePaths(ModelArchitecture architecture) =>
        architecture.DecoderLinearModules.Select(path => $"model.layers.0.{path}").Append(OutputHead);

    private static string NameList(ModelArchitecture architecture) =>
        string.Join(", ", architecture.DecoderLinearModules.Select(path => path[(path.LastIndexOf('.') + 1)..]))
            + (architecture.FusedProjections ? $" ({architecture.HuggingFaceClass})" : string.Empty);

    private static string AnyLayerAsZero(string name) =>
        string.Join('.', name.Split('.').Select(segment => segment.All(char.IsAsciiDigit) ? "0" : segment));
}
