namespace LoraBuild.Engine.SafeTensors;

/// <summary>The element types a safetensors header can name (whole-byte types only).</summary>
public enum SafeTensorsDType
{
    Bool,
    U8,
    I8,
    F8E5M2,
    F8E4M3,
    I16,
    U16,
    F16,
    BF16,
    I32,
    U32,
    F32,
    C64,
    F64,
    I64,
    U64,
}
