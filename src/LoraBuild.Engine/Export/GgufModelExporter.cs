using System.Globalization;
using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Export;
using LoraBuild.Core.Gguf;
using LoraBuild.Core.Models;
using LoraBuild.Engine.SafeTensors;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Export;

/// <summary>
/// Writes a model folder in Hugging Face layout (a base model, or one <c>dotnet lora merge</c> wrote) as one GGUF file
/// llama.cpp loads, as llama.cpp's <c>convert_hf_to_gguf.py</c> would: architecture and hyper-parameter keys, the
/// tokenizer, tensors renamed to llama.cpp's names with q/k rows reordered for its rotary layout, 2-D tensors in the
/// asked type and 1-D tensors in F32. The tensors are written in a fixed order, so the same inputs give the same bytes.
/// </summary>
public static partial class GgufModelExporter
{
    /// <summary>Exports the model in <paramref name="modelDirectory"/> to <paramref name="outputPath"/>.</summary>
    /// <param name="modelDirectory">The model folder.</param>
    /// <param name="outputPath">The GGUF file to write (through a temporary file and a rename).</param>
    /// <param name="type">The type of the 2-D tensors; null takes the model's torch_dtype (F32 when it names none of F32/F16/BF16).</param>
    /// <param name="progress">Told after each tensor is written.</param>
    /// <exception cref="LoraException">The model cannot be read (LORA2xxx) or expressed in GGUF (LORA4202–LORA4205).</exception>
    public static GgufExportResult Export(string modelDirectory, string outputPath, GgmlType? type = null, IProgress<GgufWriteProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var configPath = Path.Combine(modelDirectory, "config.json");
        var config = ModelConfig.Load(configPath);
        var architecture = LlamaCppArchitecture.For(config, configPath);
        var requested = type ?? DefaultType(config);

        var metadata = new List<KeyValuePair<string, GgufValue>>
        {
            KeyValuePair.Create("general.architecture", GgufValue.Of(architecture.Name)),
            KeyValuePair.Create("general.type", GgufValue.Of("model")),
            KeyValuePair.Create("general.name", GgufValue.Of(ModelName(modelDirectory))),
        };
        metadata.AddRange(architecture.HyperParameters(configPath));
        metadata.Add(KeyValuePair.Create("general.file_type", GgufValue.Of(GgufTensorTypes.FileType(requested))));
        metadata.Add(KeyValuePair.Create("general.quantization_version", GgufValue.Of(2u)));
        metadata.AddRange(GgufTokenizerMetadata.Read(modelDirectory, config));

        using var reader = SafeTensorsModel.Open(modelDirectory);
        var tensors = new List<(string Key, GgufTensor Tensor)>();
        foreach (var info in reader.Tensors)
        {
            if (info.Name.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal)
                || (config.TieWordEmbeddings && info.Name == "lm_head.weight"))
            {
                continue; // recomputed by llama.cpp; a tied head is the embedding
            }

            var (modulePath, suffix) = SplitParameterName(info.Name);
            var baseName = suffix is null ? null : architecture.TensorName(modulePath);
            if (baseName is null)
            {
                throw new LoraException(
                    ExportErrorCodes.TensorNotExportable,
                    $"Tensor '{info.Name}' has no llama.cpp counterpart in the {architecture.Name} architecture.",
                    SafeTensorsLocation.ForTensor(SafeTensorsModel.FindWeights(modelDirectory), info.Name));
            }

            var shape = info.Shape.Select(dimension => (long)dimension).ToArray();
            var heads = architecture.PermutationHeads(modulePath);
            var shift = architecture.ValueShift(modulePath, suffix!);
            var name = info.Name;
            var tensorType = GgufTensorTypes.ForTensor(requested, shape);
            tensors.Add((SortKey(baseName, suffix!), new GgufTensor($"{baseName}.{suffix}", shape, tensorType, () =>
            {
                var values = ReadFloats(reader, name);
                if (shift != 0)
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] += shift;
                    }
                }

                if (heads is { } headCount)
                {
                    values = RotaryPermutation.PermuteRows(values, (int)shape[0], shape.Length == 1 ? 1 : (int)shape[1], headCount);
                }

                return GgmlEncoding.Encode(values, tensorType);
            })));
        }

        if (config.RopeScaling is { Kind: RopeScalingKind.Llama3 } llama3)
        {
            var factors = RopeFrequencyFactors.Llama3(config.RopeTheta, config.HeadDim, llama3.Factor, llama3.LowFrequencyFactor, llama3.HighFrequencyFactor, llama3.OriginalMaxPositionEmbeddings);
            tensors.Add(("0 rope_freqs", new GgufTensor("rope_freqs.weight", [factors.Length], GgmlType.F32, () => GgmlEncoding.EncodeF32(factors))));
        }

        var ordered = tensors.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => entry.Tensor).ToList();
        GgufWriter.Write(outputPath, metadata, ordered, progress);
        return new GgufExportResult(outputPath, architecture.Name, requested, ordered.Count, new FileInfo(outputPath).Length);
    }

    /// <summary>The type matching the model's <c>torch_dtype</c>, so nothing is lost unless asked.</summary>
    public static GgmlType DefaultType(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.TorchDtype switch
        {
            "bfloat16" => GgmlType.BF16,
            "float16" => GgmlType.F16,
            _ => GgmlType.F32,
        };
    }

    internal static float[] ReadFloats(ISafeTensorsReader reader, string name)
    {
        using var tensor = reader.LoadTensor(name, ScalarType.Float32);
        using var contiguous = tensor.contiguous();
        return contiguous.data<float>().ToArray();
    }

    internal static string ModelName(string directory) =>
        Path.GetFileName(Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));

    private static (string ModulePath, string? Suffix) SplitParameterName(string name)
    {
        var dot = name.LastIndexOf('.');
        var suffix = dot < 0 ? null : name[(dot + 1)..];
        return suffix is "weight" or "bias" ? (name[..dot], suffix) : (name, null);
    }

    /// <summary>llama.cpp's converter order: embedding, then each block in order, then the final norm and the head.</summary>
    private static string SortKey(string baseName, string suffix)
    {
        var block = BlockName().Match(baseName);
        var group = baseName switch
        {
            "token_embd" => "1",
            "output_norm" => "3",
            "output" => "4",
            _ when block.Success => "2 " + int.Parse(block.Groups["layer"].Value, CultureInfo.InvariantCulture).ToString("D6", CultureInfo.InvariantCulture),
            _ => "5",
        };
        return $"{group} {baseName}.{suffix}";
    }

    [GeneratedRegex(@"^blk\.(?<layer>[0-9]+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex BlockName();
}
