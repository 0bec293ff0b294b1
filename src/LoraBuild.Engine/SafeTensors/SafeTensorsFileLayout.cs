namespace LoraBuild.Engine.SafeTensors;

/// <summary>The planned layout of a safetensors file: its first bytes (prefix and padded header) and where each tensor goes.</summary>
public sealed class SafeTensorsFileLayout
{
    internal SafeTensorsFileLayout(byte[] prefixAndHeader, IReadOnlyList<SafeTensorInfo> tensors, long dataLength)
    {
        PrefixAndHeader = prefixAndHeader;
        Tensors = tensors;
        DataLength = dataLength;
    }

    /// <summary>The 8-byte little-endian header length followed by the header JSON, padded with spaces to a multiple of 8.</summary>
    public ReadOnlyMemory<byte> PrefixAndHeader { get; }

    /// <summary>The tensors in the order their bytes follow the header: ordinal order of names.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The total number of tensor data bytes.</summary>
    public long DataLength { get; }

    /// <summary>The length of the whole file.</summary>
    public long FileLength => PrefixAndHeader.Length + DataLength;
}
