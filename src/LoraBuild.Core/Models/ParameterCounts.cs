namespace LoraBuild.Core.Models;

/// <summary>How many parameters a model has, worked out from its configuration alone.</summary>
public sealed record ParameterCounts
{
    /// <summary>The token embedding: vocab × hidden.</summary>
    public required long Embedding { get; init; }

    /// <summary>One decoder layer: its linear projections, its RMSNorm weights (two, or four with Gemma's sandwich norms) and, with q/k norms, their per-head weights.</summary>
    public required long PerDecoderLayer { get; init; }

    /// <summary>All decoder layers together.</summary>
    public required long DecoderLayers { get; init; }

    /// <summary>The final RMSNorm.</summary>
    public required long FinalNorm { get; init; }

    /// <summary>The output head; zero when it is tied to the embedding.</summary>
    public required long LanguageModelHead { get; init; }

    /// <summary>Every parameter, counting a tied matrix once.</summary>
    public long Total => Embedding + DecoderLayers + FinalNorm + LanguageModelHead;

    /// <summary>Counts the parameters of the model <paramref name="config"/> describes.</summary>
    public static ParameterCounts For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var embedding = (long)config.VocabSize * config.HiddenSize;
        var normsPerLayer = config.Descriptor.SandwichNorms ? 4L : 2L;
        var perLayer = DecoderLinearLayers(config).Sum(layer => layer.ParameterCount) + (normsPerLayer * config.HiddenSize)
            + (config.QueryKeyNorm ? 2L * config.HeadDim : 0);
        return new ParameterCounts
        {
            Embedding = embedding,
            PerDecoderLayer = perLayer,
            DecoderLayers = perLayer * config.NumHiddenLayers,
            FinalNorm = config.HiddenSize,
            LanguageModelHead = config.TieWordEmbeddings ? 0 : embedding,
        };
    }

    /// <summary>The linear projections of one decoder layer, in Hugging Face order, with their shapes.</summary>
    public static IReadOnlyList<LinearLayerShape> DecoderLinearLayers(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hidden = config.HiddenSize;
        var queryWidth = config.NumAttentionHeads * config.HeadDim;
        var keyValueWidth = config.NumKeyValueHeads * config.HeadDim;
        var intermediate = config.IntermediateSize;
        if (config.Descriptor.FusedProjections)
        {
            return
            [
                new("qkv_proj", "self_attn.qkv_proj", hidden, queryWidth + (2 * keyValueWidth), config.QkvBias),
                new("o_proj", "self_attn.o_proj", queryWidth, hidden, config.OutputProjectionBias),
                new("gate_up_proj", "mlp.gate_up_proj", hidden, 2 * intermediate, config.MlpBias),
                new("down_proj", "mlp.down_proj", intermediate, hidden, config.MlpBias),
            ];
        }

        return
        [
            new("q_proj", "self_attn.q_proj", hidden, queryWidth, config.QkvBias),
            new("k_proj", "self_attn.k_proj", hidden, keyValueWidth, config.QkvBias),
            new("v_proj", "self_attn.v_proj", hidden, keyValueWidth, config.QkvBias),
            new("o_proj", "self_attn.o_proj", queryWidth, hidden, config.OutputProjectionBias),
            new("gate_proj", "mlp.gate_proj", hidden, intermediate, config.MlpBias),
            new("up_proj", "mlp.up_proj", hidden, intermediate, config.MlpBias),
            new("down_proj", "mlp.down_proj", intermediate, hidden, config.MlpBias),
        ];
    }
}
