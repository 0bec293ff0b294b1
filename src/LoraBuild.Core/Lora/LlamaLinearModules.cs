using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;

namespace LoraBuild.Core.Lora;

/// <summary>
/// The linear layers of a Llama-family model (Llama, Mistral, Qwen2) under their Hugging Face module paths, worked out
/// from <c>config.json</c> alone: what LoRA targets can name without loading the model.
/// </summary>
public static class LlamaLinearModules
{
    /// <summary>The output head's module path; it exists only when the embeddings are not tied.</summary>
    public const string OutputHead = "lm_head";

    /// <summary>Any decoder layer's linear layers, in model order, with layer 0 standing for every layer.</summary>
    private static readonly string[] s_templatePaths =
    [
        .. new[] { "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj" }
            .Select(path => $"model.layers.0.{path}"),
        OutputHead,
    ];

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
    /// Checks that every name in <paramref name="targets"/> can select a linear layer of a Llama-family model (as a
    /// whole path or its trailing segments, layer numbers being any layer's). Patterns and <c>all-linear</c> pass.
    /// </summary>
    /// <exception cref="LoraException">A name selects nothing a Llama-family model has (LORA1001).</exception>
    public static void RequireKnownNames(AdapterTargets targets, string? location)
    {
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var name in targets.Names)
        {
            var single = AdapterTargets.FromNames([AnyLayerAsZero(name)], location);
            if (!s_templatePaths.Any(path => single.MatchesExplicitly(path, out _)))
            {
                throw new LoraException(
                    LoraErrorCodes.UnknownTargetModule,
                    $"'{name}' is not a linear layer of a Llama-family model; use q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, "
                        + $"down_proj, {OutputHead}, '{AdapterTargets.AllLinearKeyword}', or a regular expression ('{AdapterTargets.RegexPrefix}…').",
                    location);
            }
        }
    }

    private static string AnyLayerAsZero(string name) =>
        string.Join('.', name.Split('.').Select(segment => segment.All(char.IsAsciiDigit) ? "0" : segment));
}
