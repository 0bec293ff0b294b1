using static TorchSharp.torch;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>Maps safetensors dtypes to TorchSharp scalar types and back.</summary>
public static class SafeTensorsTorchTypes
{
    /// <summary>The TorchSharp type for <paramref name="dtype"/>; false for types TorchSharp lacks (unsigned wider than 8 bits, 8-bit floats).</summary>
    public static bool TryGetScalarType(SafeTensorsDType dtype, out ScalarType scalarType)
    {
        ScalarType? found = dtype switch
        {
            SafeTensorsDType.Bool => ScalarType.Bool,
            SafeTensorsDType.U8 => ScalarType.Byte,
            SafeTensorsDType.I8 => ScalarType.Int8,
            SafeTensorsDType.I16 => ScalarType.Int16,
            SafeTensorsDType.F16 => ScalarType.Float16,
            SafeTensorsDType.BF16 => ScalarType.BFloat16,
            SafeTensorsDType.I32 => ScalarType.Int32,
            SafeTensorsDType.F32 => ScalarType.Float32,
            SafeTensorsDType.C64 => ScalarType.ComplexFloat32,
            SafeTensorsDType.F64 => ScalarType.Float64,
            SafeTensorsDType.I64 => ScalarType.Int64,
            _ => null,
        };
        scalarType = found.GetValueOrDefault();
        return found is not null;
    }

    /// <summary>The safetensors dtype for <paramref name="scalarType"/>; false for types safetensors cannot name (complex128, quantized).</summary>
    public static bool TryGetDType(ScalarType scalarType, out SafeTensorsDType dtype)
    {
        SafeTensorsDType? found = scalarType switch
        {
            ScalarType.Bool => SafeTensorsDType.Bool,
            ScalarType.Byte => SafeTensorsDType.U8,
            ScalarType.Int8 => SafeTensorsDType.I8,
            ScalarType.Int16 => SafeTensorsDType.I16,
            ScalarType.Float16 => SafeTensorsDType.F16,
            ScalarType.BFloat16 => SafeTensorsDType.BF16,
            ScalarType.Int32 => SafeTensorsDType.I32,
            ScalarType.Float32 => SafeTensorsDType.F32,
            ScalarType.ComplexFloat32 => SafeTensorsDType.C64,
            ScalarType.Float64 => SafeTensorsDType.F64,
            ScalarType.Int64 => SafeTensorsDType.I64,
            _ => null,
        };
        dtype = found.GetValueOrDefault();
        return found is not null;
    }
}
