using System.Buffers.Binary;
using System.Text;

namespace LoraBuild.Engine.Tests.SafeTensors;

/// <summary>Assembles safetensors files byte by byte, independently of the library's writer.</summary>
internal static class SafeTensorsBytes
{
    /// <summary>8-byte little-endian length of <paramref name="headerJson"/>, the header as UTF-8, then <paramref name="data"/>.</summary>
    public static byte[] Assemble(string headerJson, byte[]? data = null) =>
        Assemble(Encoding.UTF8.GetBytes(headerJson), data);

    public static byte[] Assemble(byte[] header, byte[]? data = null) =>
        Assemble((ulong)header.Length, header, data);

    /// <summary>A file whose prefix claims <paramref name="declaredHeaderLength"/> bytes, whatever follows.</summary>
    public static byte[] Assemble(ulong declaredHeaderLength, byte[] header, byte[]? data = null)
    {
        data ??= [];
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredHeaderLength);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static byte[] UInt16s(params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), values[i]);
        }

        return bytes;
    }
}
