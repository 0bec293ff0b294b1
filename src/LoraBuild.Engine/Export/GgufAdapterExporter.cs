using System.Text.RegularExpressions;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Models;
using LoraBuild.Engine.Lora;
using LoraBuild.Engine.SafeTensors;

namespace LoraBuild.Engine.Export;

/// <summary>
/// Writes a PEFT LoRA adapter folder as a llama.cpp GGUF adapter, as llama.cpp's <c>convert_lora_to_gguf.py</c> would:
/// <c>general.type = adapter</c>, <c>adapter.type = lora</c>, <c>adapter.lora.alpha</c>, and F32 tensors
/// <c>blk.N.attn_q.weight.lora_a</c> [r, in] / <c>.lora_b</c> [out, r] in PEFT's layout, with q/k <c>lora_b</c> rows
/// reordered as the base's weights are.
/// <para>
/// llama.cpp scales every LoRA tensor pair by <c>alpha / r</c>, r being that pair's own rank, and has one alpha per
/// file. PEFT's scale can differ: rsLoRA uses alpha/√r, and <c>alpha_pattern</c> gives layers their own alpha. The
/// exporter writes alpha·√r for rsLoRA (so the default layers' scale is exact), and for every layer whose PEFT
/// scale still differs from llama.cpp's it multiplies <c>lora_b</c> by the ratio, so B·A·scale is the same product.
/// <c>rank_pattern</c> needs nothing: llama.cpp reads each pair's rank from its tensors.
/// </para>
/// </summary>
public static partial class GgufAdapterExporter
{
    /// <summary>A layer's scale is folded when llama.cpp's differs from PEFT's by more than float32 rounding.</summary>
    private const double FoldTolerance = 1e-6;

    /// <summary>Exports the adapter in <paramref name="adapterDirectory"/>, trained on the model in <paramref name="baseModelDirectory"/>.</summary>
    /// <exception cref="LoraException">The adapter or base cannot be read, or a tensor has no llama.cpp counterpart (LORA4203).</exception>
    public static GgufExportResult Export(string adapterDirectory, string baseModelDirectory, string outputPath, IProgress<GgufWriteProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(adapterDirectory);
        ArgumentException.ThrowIfNullOrEmpty(baseModelDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var configPath = Path.Combine(baseModelDirectory, "config.json");
        var architecture = LlamaCppArchitecture.For(ModelConfig.Load(configPath), configPath);
        var settings = AdapterConfigJson.Read(Path.Combine(adapterDirectory, AdapterConfigJson.FileName)).Lora;
        var weightsPath = Path.Combine(adapterDirectory, AdapterFiles.WeightsFileName);
        if (!File.Exists(weightsPath))
        {
            throw new LoraException(LoraEngineErrorCodes.AdapterWeightsNotFound, $"The adapter folder has no {AdapterFiles.WeightsFileName}.", weightsPath);
        }

        var alpha = (float)(settings.UseRslora ? settings.Alpha * Math.Sqrt(settings.Rank) : settings.Alpha);
        using var reader = SafeTensorsReader.Open(weightsPath);
        var pairs = new SortedDictionary<string, (string Path, string? A, string? B)>(StringComparer.Ordinal);
        foreach (var info in reader.Tensors)
        {
            var match = LoraTensorName().Match(info.Name);
            var baseName = match.Success ? architecture.TensorName(match.Groups["path"].Value) : null;
            if (baseName is null || baseName == "token_embd")
            {
                throw new LoraException(
                    ExportErrorCodes.TensorNotExportable,
                    $"Tensor '{info.Name}' is not a LoRA matrix of a linear layer llama.cpp adapts (LoRA on embeddings and unknown modules are not exported).",
                    SafeTensorsLocation.ForTensor(weightsPath, info.Name));
            }

            var key = SortKey(baseName);
            var entry = pairs.GetValueOrDefault(key, (match.Groups["path"].Value, null, null));
            pairs[key] = match.Groups["matrix"].Value == "A" ? entry with { A = info.Name } : entry with { B = info.Name };
        }

        var tensors = new List<GgufTensor>();
        var folded = 0;
        foreach (var (key, (modulePath, aName, bName)) in pairs)
        {
            if (aName is null || bName is null)
            {
                throw new LoraException(
                    ExportErrorCodes.TensorNotExportable,
                    $"Module '{modulePath}' has only one of its two LoRA matrices.",
                    SafeTensorsLocation.ForTensor(weightsPath, aName ?? bName!));
            }

            reader.TryGetTensor(aName, out var a);
            reader.TryGetTensor(bName, out var b);
            if (a!.Shape.Count != 2 || b!.Shape.Count != 2 || a.Shape[0] != b.Shape[1])
            {
                throw new LoraException(
                    LoraEngineErrorCodes.AdapterTensorShapeMismatch,
                    $"'{aName}' [{string.Join(", ", a.Shape)}] and '{bName}' [{string.Join(", ", b!.Shape)}] are not a LoRA pair [r, in] and [out, r].",
                    SafeTensorsLocation.ForTensor(weightsPath, aName));
            }

            var rank = (int)a.Shape[0];
            var peftScale = settings.ScaleFor(rank, settings.AlphaFor(modulePath));
            var ratio = peftScale / ((double)alpha / rank);
            var fold = Math.Abs(ratio - 1) > FoldTolerance;
            folded += fold ? 1 : 0;
            var heads = architecture.PermutationHeads(modulePath);
            var baseName = key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            long[] aShape = [a.Shape[0], a.Shape[1]];
            long[] bShape = [b.Shape[0], b.Shape[1]];
            tensors.Add(new GgufTensor($"{baseName}.weight.lora_a", aShape, GgmlType.F32, () => GgmlEncoding.EncodeF32(GgufModelExporter.ReadFloats(reader, aName))));
            tensors.Add(new GgufTensor($"{baseName}.weight.lora_b", bShape, GgmlType.F32, () =>
            {
                var values = GgufModelExporter.ReadFloats(reader, bName);
                if (fold)
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = (float)(values[i] * ratio);
                    }
                }

                if (heads is { } headCount)
                {
                    values = RotaryPermutation.PermuteRows(values, (int)bShape[0], (int)bShape[1], headCount);
                }

                return GgmlEncoding.EncodeF32(values);
            }));
        }

        if (tensors.Count == 0)
        {
            throw new LoraException(ExportErrorCodes.TensorNotExportable, "The adapter holds no LoRA matrices.", weightsPath);
        }

        var metadata = new List<KeyValuePair<string, GgufValue>>
        {
            KeyValuePair.Create("general.architecture", GgufValue.Of(architecture.Name)),
            KeyValuePair.Create("general.type", GgufValue.Of("adapter")),
            KeyValuePair.Create("general.name", GgufValue.Of(GgufModelExporter.ModelName(adapterDirectory))),
            KeyValuePair.Create("adapter.type", GgufValue.Of("lora")),
            KeyValuePair.Create("adapter.lora.alpha", GgufValue.Of(alpha)),
        };
        GgufWriter.Write(outputPath, metadata, tensors, progress);
        return new GgufExportResult(outputPath, architecture.Name, GgmlType.F32, tensors.Count, new FileInfo(outputPath).Length)
        {
            FoldedScales = folded,
            Alpha = alpha,
        };
    }

    private static string SortKey(string baseName)
    {
        var block = BlockIndex().Match(baseName);
        return (block.Success ? block.Groups["layer"].Value.PadLeft(6, '0') : "999999") + " " + baseName;
    }

    [GeneratedRegex(@"^base_model\.model\.(?<path>.+)\.lora_(?<matrix>[AB])\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex LoraTensorName();

    [GeneratedRegex(@"^blk\.(?<layer>[0-9]+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex BlockIndex();
}
