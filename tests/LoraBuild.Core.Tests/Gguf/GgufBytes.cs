using System.Buffers.Binary;
using System.Text;

namespace LoraBuild.Core.Tests.Gguf;

/// <summary>Builds GGUF bytes field by field (little-endian), to write files the writer would never produce.</summary>
internal sealed class GgufBytes
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    /// <summary>"GGUF", version, tensor count and metadata count.</summary>
    public static GgufBytes Header(ulong tensors, ulong metadata, uint version = 3) =>
        new GgufBytes().Raw("GGUF"u8).UInt32(version).UInt64(tensors).UInt64(metadata);

    public GgufBytes Raw(ReadOnlySpan<byte> bytes)
    {
        _bytes.AddRange(bytes.ToArray());
        return this;
    }

    public GgufBytes UInt8(byte value) => Raw([value]);

    public GgufBytes UInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Raw(bytes);
    }

    public GgufBytes UInt64(ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, value);
        return Raw(bytes);
    }

    public GgufBytes String(string text) => StringBytes(Encoding.UTF8.GetBytes(text));

    public GgufBytes StringBytes(byte[] utf8) => UInt64((ulong)utf8.Length).Raw(utf8);

    /// <summary>A metadata key and its type tag; the value follows.</summary>
    public GgufBytes Key(string key, uint type) => String(key).UInt32(type);

    /// <summary>A tensor description; <paramref name="ne"/> is in file order (innermost first).</summary>
    public GgufBytes Tensor(string name, ulong[] ne, uint type, ulong offset)
    {
        String(name).UInt32((uint)ne.Length);
        foreach (var extent in ne)
        {
            UInt64(extent);
        }

        return UInt32(type).UInt64(offset);
    }

    /// <summary>Zeros up to the next multiple of <paramref name="alignment"/>.</summary>
    public GgufBytes Pad(int alignment = 32)
    {
        while (_bytes.Count % alignment != 0)
        {
            _bytes.Add(0);
        }

        return this;
    }

    public GgufBytes Zeros(int count)
    {
        _bytes.AddRange(new byte[count]);
        return this;
    }

    public GgufBytes DropLast(int count)
    {
        _bytes.RemoveRange(_bytes.Count - count, count);
        return this;
    }

    public byte[] ToArray() => [.. _bytes];
}
