using LoraBuild.Core.Specs;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Native;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Quantization;

/// <summary>Puts a causal language model's decoder linear layers into 4 bits (NF4 or FP4) or 8 bits, the QLoRA way.</summary>
public static class ModelQuantizer
{
    /// <summary>
    /// Replaces every <see cref="Linear"/> projection of every decoder layer with a <see cref="QuantizedLinear"/> (the
    /// output head, embeddings and norms stay as loaded, as bitsandbytes leaves them) and frees the full weights.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="quantization">A <see cref="Quantizations"/> name other than <c>none</c>; 4-bit formats double-quantize.</param>
    /// <returns>How many layers were quantized, and the bytes their weights took before and take now.</returns>
    public static (int Layers, long BytesBefore, long BytesAfter) QuantizeDecoderLinearLayers(CausalLanguageModel model, string quantization) =>
        QuantizeDecoderLinearLayers(model, WeightQuantizer(quantization));

    /// <summary>How a weight is quantized for a <see cref="Quantizations"/> name other than <c>none</c>; 4-bit formats double-quantize.</summary>
    public static Func<Tensor, IQuantizedWeight> WeightQuantizer(string quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        if (quantization == Quantizations.EightBit)
        {
            return Int8Weight.Quantize;
        }

        var format = FourBitFormat.ForQuantization(quantization)
            ?? throw new ArgumentException($"'{quantization}' names no quantized format; 'none' leaves the base as it is.", nameof(quantization));
        return weight => FourBitWeight.Quantize(weight, format);
    }

    /// <summary>As <see cref="QuantizeDecoderLinearLayers(CausalLanguageModel, string)"/>, to NF4.</summary>
    public static (int Layers, long BytesBefore, long BytesAfter) QuantizeDecoderLinearLayers(CausalLanguageModel model, bool doubleQuantize = true) =>
        QuantizeDecoderLinearLayers(model, FourBitFormat.Nf4, doubleQuantize);

    /// <summary>As <see cref="QuantizeDecoderLinearLayers(CausalLanguageModel, string)"/>, to <paramref name="format"/>.</summary>
    public static (int Layers, long BytesBefore, long BytesAfter) QuantizeDecoderLinearLayers(CausalLanguageModel model, FourBitFormat format, bool doubleQuantize = true)
    {
        ArgumentNullException.ThrowIfNull(format);
        return QuantizeDecoderLinearLayers(model, weight => FourBitWeight.Quantize(weight, format, doubleQuantize));
    }

    private static (int Layers, long BytesBefore, long BytesAfter) QuantizeDecoderLinearLayers(CausalLanguageModel model, Func<Tensor, IQuantizedWeight> quantize)
    {
        ArgumentNullException.ThrowIfNull(model);
        long before = 0;
        long after = 0;
        var replaced = new List<Linear>();
        var count = model.ReplaceLinearLayers((path, module) =>
        {
            if (path == "lm_head" || module is not Linear linear)
            {
                return null;
            }

            var quantized = QuantizedLinear.From(linear, quantize);
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
