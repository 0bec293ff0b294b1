using System.Diagnostics.CodeAnalysis;

namespace LoraBuild.Core.Gguf;

/// <summary>The tensor element types this project writes and reads, with ggml's names and numbers.</summary>
[SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "ggml's own type names.")]
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q8_0 = 8,
    BF16 = 30,
}

/// <summary>Sizes of the <see cref="GgmlType"/> layouts.</summary>
public static class GgmlTypes
{
    /// <summary>Elements per Q8_0 block: one float16 scale and 32 signed bytes.</summary>
    public const int Q8BlockElements = 32;

    /// <summary>Bytes per Q8_0 block.</summary>
    public const int Q8BlockBytes = 2 + Q8BlockElements;

    /// <summary>Whether <paramref name="value"/> is a type this project knows.</summary>
    public static bool IsKnown(uint value) => Enum.IsDefined((GgmlType)value);

    /// <summary>The name llama.cpp prints for the type (<c>f32</c>, <c>q8_0</c>, …).</summary>
    public static string Name(GgmlType type) => type switch
    {
        GgmlType.F32 => "f32",
        GgmlType.F16 => "f16",
        GgmlType.BF16 => "bf16",
        GgmlType.Q8_0 => "q8_0",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>
    /// The bytes a row-major tensor of <paramref name="elements"/> elements takes; for Q8_0 the innermost dimension
    /// (<paramref name="rowLength"/>) must be a multiple of 32.
    /// </summary>
    public static long ByteCount(GgmlType type, long elements, long rowLength) => type switch
    {
        GgmlType.F32 => checked(elements * 4),
        GgmlType.F16 or GgmlType.BF16 => checked(elements * 2),
        GgmlType.Q8_0 when rowLength % Q8BlockElements == 0 => checked(elements / Q8BlockElements * Q8BlockBytes),
        GgmlType.Q8_0 => throw new ArgumentException($"Q8_0 rows must be a multiple of {Q8BlockElements} elements, not {rowLength}.", nameof(rowLength)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
