using System.Diagnostics.CodeAnalysis;

namespace LoraBuild.Core.Gguf;

/// <summary>The type tag of a GGUF metadata value, as <c>gguf.h</c> numbers them.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "gguf.h's own names for its value types.")]
public enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}
