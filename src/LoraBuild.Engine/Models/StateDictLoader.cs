using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>Checks a checkpoint's tensors against a model's parameters, then copies them in (or, asked to, adopts their storage).</summary>
internal static class StateDictLoader
{
    private const string RotaryBufferSuffix = "rotary_emb.inv_freq";
    private const string LanguageModelHeadWeight = "lm_head.weight";
    private const int NamesListed = 5;

    public static void Load(CausalLanguageModel model, IReadOnlyDictionary<string, Tensor> weights, string? source, bool adoptStorage)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var location = source ?? "state dict";
        var parameters = model.named_parameters().ToDictionary(pair => pair.name, pair => pair.parameter, StringComparer.Ordinal);

        var missing = parameters.Keys.Where(name => !weights.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            var first = missing[0];
            throw new LoraException(
                ModelErrorCodes.WeightMissing,
                $"The checkpoint has no tensor '{first}' (expected shape {Shape(parameters[first].shape)}), which a "
                    + $"{model.Config.Architecture} with this config.json needs.{More(missing)}",
                $"{location}:{first}");
        }

        var unexpected = weights.Keys
            .Where(name => !parameters.ContainsKey(name) && !IsIgnorable(name, model.Config))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (unexpected.Count > 0)
        {
            var first = unexpected[0];
            throw new LoraException(
                ModelErrorCodes.WeightUnexpected,
                $"The checkpoint holds a tensor '{first}' {Shape(weights[first].shape)} that a {model.Config.Architecture} "
                    + $"with this config.json does not have.{More(unexpected)}",
                $"{location}:{first}");
        }

        foreach (var (name, parameter) in parameters.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var actual = weights[name];
            if (!actual.shape.SequenceEqual(parameter.shape))
            {
                throw new LoraException(
                    ModelErrorCodes.WeightShapeMismatch,
                    $"Tensor '{name}' has shape {Shape(actual.shape)}, but this config.json implies {Shape(parameter.shape)}.",
                    $"{location}:{name}");
            }
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            var weight = weights[name];
            if (adoptStorage && weight.dtype == parameter.dtype && weight.device_type == parameter.device_type && weight.device_index == parameter.device_index && weight.is_contiguous())
            {
                // The parameter's own storage (allocated by the constructor) is released here.
                parameter.set_(weight);
            }
            else
            {
                parameter.copy_(weight);
            }
        }
    }

    private static bool IsIgnorable(string name, ModelConfig config) =>
        name.EndsWith(RotaryBufferSuffix, StringComparison.Ordinal)
        || (config.TieWordEmbeddings && name == LanguageModelHeadWeight);

    private static string Shape(long[] shape) => $"[{string.Join(", ", shape)}]";

    private static string More(List<string> names) =>
        names.Count == 1
            ? string.Empty
            : $" {names.Count - 1} more: {string.Join(", ", names.Skip(1).Take(NamesListed))}{(names.Count - 1 > NamesListed ? ", …" : string.Empty)}.";
}
