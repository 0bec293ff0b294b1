using static TorchSharp.torch;

namespace LoraBuild.Engine.Models;

/// <summary>
/// Activation checkpointing of one decoder layer, the reentrant way (as <c>torch.utils.checkpoint</c> with
/// <c>use_reentrant=True</c>, which TorchSharp lacks): the forward pass runs the layer without building a graph and
/// keeps only its input and the attention context; the backward pass runs the layer again with gradients on, replaying
/// the dropout masks, and back-propagates the incoming gradient through that second graph. The layer's trainable
/// parameters get their gradients from that inner backward pass; the outer graph only sees the input's gradient.
/// </summary>
internal sealed class DecoderLayerCheckpoint : autograd.SingleTensorFunction<DecoderLayerCheckpoint>
{
    private const string ReplayKey = "layer_replay";

    public override string Name => nameof(DecoderLayerCheckpoint);

    /// <summary>
    /// Runs <paramref name="layer"/> on <paramref name="hidden"/> so that its activations are recomputed during backward.
    /// When neither the input nor any of the layer's parameters needs a gradient there is nothing to recompute for, and
    /// the layer simply runs.
    /// </summary>
    public static Tensor Run(LlamaDecoderLayer layer, Tensor hidden, AttentionContext context)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Cache is not null)
        {
            throw new InvalidOperationException("A key/value cache is written during the forward pass and cannot be replayed; checkpointing is for training passes only.");
        }

        var trainable = layer.parameters().Any(parameter => parameter.requires_grad);
        if (!hidden.requires_grad && !trainable)
        {
            return layer.Forward(hidden, context);
        }

        // Autograd records a custom function only when one of its tensor inputs requires a gradient. The first layer's
        // input (frozen embeddings under LoRA) does not, so an empty tensor that does stands in for the layer's parameters.
        using var anchor = hidden.requires_grad ? null : empty(0, dtype: hidden.dtype, device: hidden.device, requires_grad: true);
        var resolved = context.ForLayer(layer.LayerIndex);
        return apply(hidden, anchor, resolved.Cos, resolved.Sin, resolved.Mask, layer, resolved.IsCausal);
    }

    /// <param name="ctx">The autograd context.</param>
    /// <param name="vars">hidden, anchor (or null), cos, sin, mask (or null), the layer, and whether attention is causal.</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var hidden = (Tensor)vars[0];
        var cos = (Tensor)vars[2];
        var sin = (Tensor)vars[3];
        var mask = vars[4] as Tensor;
        var layer = (LlamaDecoderLayer)vars[5];
        var isCausal = (bool)vars[6];

        ctx.save_for_backward([hidden, cos, sin, mask!]);
        ctx.save_data(ReplayKey, new LayerReplay(layer, isCausal, hidden.requires_grad, GeneratorStates.Capture(layer)));
        return layer.Forward(hidden, new AttentionContext(cos, sin, mask, isCausal, Cache: null));
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var replay = (LayerReplay)ctx.get_data(ReplayKey);
        using var scope = NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var (hidden, cos, sin, mask) = (saved[0], saved[1], saved[2], saved[3]);

        Tensor input;
        using (enable_grad())
        using (replay.Generators.Rewind())
        {
            input = hidden.detach().requires_grad_(replay.InputNeedsGradient);
            var output = replay.Layer.Forward(input, new AttentionContext(cos, sin, mask, replay.IsCausal, Cache: null));
            // A backward pass inside a backward pass: libtorch's engine runs it on this thread, one level deeper.
            autograd.backward([output], [grad_output]);
        }

        var inputGradient = replay.InputNeedsGradient ? input.grad!.MoveToOuterDisposeScope() : null;

        // One entry per forward argument: only the hidden state gets a gradient from this node.
        return [inputGradient!, null!, null!, null!, null!, null!, null!];
    }

    private sealed record LayerReplay(LlamaDecoderLayer Layer, bool IsCausal, bool InputNeedsGradient, GeneratorStates Generators);
}
