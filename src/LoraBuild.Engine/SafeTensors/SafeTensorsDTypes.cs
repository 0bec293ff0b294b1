using System.Diagnostics.CodeAnalysis;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>Header names and element sizes of <see cref="SafeTensorsDType"/> values.</summary>
public static class SafeTensorsDTypes
{
    private static readonly Dictionary<string, SafeTensorsDType> s_byHeaderName = new(StringComparer.Ordinal)
    {
        ["BOOL"] = SafeTensorsDType.Bool,
        ["U8"] = SafeTensorsDType.U8,
        ["I8"] = SafeTensorsDType.I8,
        ["F8_E5M2"] = SafeTensorsDType.F8E5M2,
        ["F8_E4M3"] = SafeTensorsDType.F8E4M3,
        ["I16"] = SafeTensorsDType.I16,
        ["U16"] = SafeTensorsDType.U16,
        ["F16"] = SafeTensorsDType.F16,
        ["BF16"] = SafeTensorsDType.BF16,
        ["I32"] = SafeTensorsDType.I32,
        ["U32"] = SafeTensorsDType.U32,
        ["F32"] = SafeTensorsDType.F32,
        ["C64"] = SafeTensorsDType.C64,
        ["F64"] = SafeTensorsDType.F64,
        ["I64"] = SafeTensorsDType.I64,
        ["U64"] = SafeTensorsDType.U64,
    };

    /// <summary>Parses a header <c>dtype</c> string such as <c>"BF16"</c> (case-sensitive, as the format requires).</summary>
    public static bool TryParse(string headerName, [NotNullWhen(true)] out SafeTensorsDType? dtype)
    {
        if (s_byHeaderName.TryGetValue(headerName, out var found))
        {
            dtype = found;
            return true;
        }

        dtype = null;
        return false;
    }

    /// <summary>The name this dtype has in a safetensors header, e.g. <c>"F8_E4M3"</c>.</summary>
    public static string HeaderName(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Bool => "BOOL",
        SafeTensorsDType.F8E5M2 => "F8_E5M2",
        SafeTensorsDType.F8E4M3 => "F8_E4M3",
        _ when Enum.IsDefined(dtype) => dtype.ToString(),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.Bool or SafeTensorsDType.U8 or SafeTensorsDType.I8
            or SafeTensorsDType.F8E5M2 or SafeTensorsDType.F8E4M3 => 1,
        SafeTensorsDType.I16 or SafeTensorsDType.U16 or SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        SafeTensorsDType.I32 or SafeTensorsDType.U32 or SafeTensorsDType.F32 => 4,
        SafeTensorsDType.C64 or SafeTensorsDType.F64 or SafeTensorsDType.I64 or SafeTensorsDType.U64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };
}
