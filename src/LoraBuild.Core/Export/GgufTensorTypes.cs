using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Gguf;

namespace LoraBuild.Core.Export;

/// <summary>The tensor types a model export can be asked for, by the names llama.cpp's converter uses (<c>--outtype</c>).</summary>
public static class GgufTensorTypes
{
    public static IReadOnlyList<string> Names { get; } = ["f32", "f16", "bf16", "q8_0"];

    /// <summary>The name that asks for no model file at all (an adapter export whose base is only read).</summary>
    public const string None = "none";

    /// <summary>Parses <c>f32</c>, <c>f16</c>, <c>bf16</c> or <c>q8_0</c> (any case).</summary>
    /// <exception cref="LoraException">LORA4201 for any other name; <paramref name="location"/> names the setting.</exception>
    public static GgmlType Parse(string name, string location) => name?.ToLowerInvariant() switch
    {
        "f32" => GgmlType.F32,
        "f16" => GgmlType.F16,
        "bf16" => GgmlType.BF16,
        "q8_0" => GgmlType.Q8_0,
        _ => throw new LoraException(ExportErrorCodes.TensorTypeUnknown, $"'{name}' is not a tensor type the GGUF export writes; use {string.Join(", ", Names)}.", location),
    };

    /// <summary>
    /// The type a tensor is stored in when the model is exported as <paramref name="requested"/>: 1-D tensors (norms,
    /// biases) stay F32 as in llama.cpp's converter, and a Q8_0 tensor whose rows are not a multiple of 32 falls back to F16.
    /// </summary>
    public static GgmlType ForTensor(GgmlType requested, IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count <= 1)
        {
            return GgmlType.F32;
        }

        return requested == GgmlType.Q8_0 && shape[^1] % GgmlTypes.Q8BlockElements != 0 ? GgmlType.F16 : requested;
    }

    /// <summary><c>general.file_type</c> (llama.cpp's <c>llama_ftype</c>) for a model exported as <paramref name="type"/>.</summary>
    public static uint FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => 1,
        GgmlType.Q8_0 => 7,
        GgmlType.BF16 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
