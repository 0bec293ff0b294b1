using LoraBuild.Engine.Models;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Lora;

/// <summary>
/// Puts LoRA layers on a <see cref="CausalLanguageModel"/> through <see cref="CausalLanguageModel.ReplaceLinearLayers"/>,
/// which offers the seven projections of every decoder layer and an untied output head.
/// </summary>
public sealed class CausalLanguageModelLoraHost : ILoraHost
{
    private readonly CausalLanguageModel _model;
    private readonly HashSet<string> _replaceable = new(StringComparer.Ordinal);

    public CausalLanguageModelLoraHost(CausalLanguageModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;

        // A pass that replaces nothing, to learn which paths the model offers.
        model.ReplaceLinearLayers((path, _) =>
        {
            _replaceable.Add(path);
            return null;
        });
    }

    /// <inheritdoc/>
    public nn.Module Root => _model;

    /// <inheritdoc/>
    public string? OutputHeadPath => _model.LmHead is null ? null : "lm_head";

    /// <inheritdoc/>
    public bool CanReplace(string path) => _replaceable.Contains(path);

    /// <inheritdoc/>
    public void Replace(IReadOnlyDictionary<string, nn.Module<Tensor, Tensor>> replacements)
    {
        ArgumentNullException.ThrowIfNull(replacements);
        var replaced = _model.ReplaceLinearLayers((path, _) => replacements.GetValueOrDefault(path));
        if (replaced != replacements.Count)
        {
            throw new InvalidOperationException($"{replacements.Count} layers were to be replaced but the model replaced {replaced}.");
        }
    }
}
