using LoraBuild.Core.Models;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// The decoder stack without the output head, registered as <c>model</c>: <c>embed_tokens</c>,
/// <c>layers.{i}</c> and the final <c>norm</c>.
/// </summary>
public sealed class LlamaModel : nn.Module
{
    [ComponentName(Name = "embed_tokens")]
    private Embedding _embedTokens;

    [ComponentName(Name = "layers")]
    private ModuleList<LlamaDecoderLayer> _layers;

    [ComponentName(Name = "norm")]
    private RmsNorm _norm;

    private readonly LlamaDecoderLayer[] _layerArray;

    // Gemma: √hidden_size, applied in the embedding's own type.
    private readonly double? _embeddingScale;

    /// <summary>Creates the stack for <paramref name="config"/> with freshly initialized weights.</summary>
    public LlamaModel(ModelConfig config, ScalarType dtype, Device device)
        : base(nameof(LlamaModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        _embedTokens = nn.Embedding(config.VocabSize, config.HiddenSize, device: device, dtype: dtype);
        _layerArray = [.. Enumerable.Range(0, config.NumHiddenLayers).Select(i => new LlamaDecoderLayer(config, i, dtype, device))];
        _layers = nn.ModuleList(_layerArray);
        _norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, dtype, device, config.Descriptor.UnitOffsetNorms);
        _embeddingScale = config.Descriptor.ScalesEmbedding ? Math.Sqrt(config.HiddenSize) : null;
        RegisterComponents();
    }

    /// <summary>The token embedding, <c>embed_tokens</c>.</summary>
    public Embedding EmbedTokens => _embedTokens;

    /// <summary>The decoder layers, <c>layers.{i}</c>.</summary>
    public IReadOnlyList<LlamaDecoderLayer> Layers => _layerArray;

    /// <summary>The final norm, <c>norm</c>.</summary>
    public RmsNorm Norm => _norm;

    /// <summary>
    /// Whether forward passes that record gradients keep only each layer's input and recompute the layer's activations
    /// during backward (<see cref="DecoderLayerCheckpoint"/>). Passes without gradients, and passes with a key/value
    /// cache, run the layers as usual.
    /// </summary>
    public bool ActivationCheckpointing { get; set; }

    /// <summary>Embeds <paramref name="inputIds"/> and runs every layer and the final norm.</summary>
    public Tensor Forward(Tensor inputIds, AttentionContext context)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        using var scope = NewDisposeScope();
        var hidden = _embedTokens.call(inputIds);
        if (_embeddingScale is { } scale)
        {
            // transformers makes the factor a tensor of the hidden states' type, so it is rounded to that type first.
            hidden = hidden * tensor(scale, hidden.dtype, hidden.device);
        }
        foreach (var layer in _layerArray)
        {
            hidden = ActivationCheckpointing && context.Cache is null && is_grad_enabled()
                ? DecoderLayerCheckpoint.Run(layer, hidden, context)
                : layer.Forward(hidden, context);
        }

        return _norm.call(hidden).MoveToOuterDisposeScope();
    }
}
