using LoraBuild.Engine.Models;
using LoraBuild.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>Puts a causal language model's decoder linear layers into 4 bits (NF4 or FP4), the QLoRA way.</summary>
public static class ModelQuantizer
{
    /// <summary>
    /// Replaces every <see cref="Linear"/> projection of every decoder layer with a <see cref="FourBitLinear"/> (the
    /// output head, embeddings and norms stay as loaded, as bitsandbytes leaves them) and frees the full weights.
    /// </summary>
    /// <returns>How many layers were quantized, and the bytes their weights took before and take now.</returns>
    public static (int Layers, long BytesBefore, long BytesAfter) QuantizeDecoderLinearLayers(CausalLanguageModel model, bool doubleQuantize = true) =>
        QuantizeDecoderLinearLayers(model, FourBitFormat.Nf4, doubleQuantize);

    /// <summary>As <see cref="QuantizeDecoderLinearLayers(CausalLanguageModel, bool)"/>, to <paramref name="format"/>.</summary>
    public static (int Layers, long BytesBefore, long BytesAfter) QuantizeDecoderLinearLayers(CausalLanguageModel model, FourBitFormat format, bool doubleQuantize = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(format);
        long before = 0;
        long after = 0;
        var replaced = new List<Linear>();
        var count = model.ReplaceLinearLayers((path, module) =>
        {
            if (path == "lm_head" || module is not Linear linear)
            {
                return null;
            }

            var quantized = FourBitLinear.From(linear, format, doubleQuantize);
            before += linear.weight.numel() * linear.weight.element_size();
            after += quantized.Weight.StorageBytes;
            replaced.Add(linear);
            return quantized;
        });

        foreach (var linear in replaced)
        {
            linear.Dispose();
        }

        NativeHeap.ReleaseFreeMemory();

        return (count, before, after);
    }
}
