using System.Buffers.Binary;

namespace LoraBuild.Core.Gguf;

/// <summary>
/// Encodes float32 values into ggml's tensor layouts and back, rounding as llama.cpp's converters do: float16 and
/// bfloat16 round to nearest even (bfloat16 keeps NaN a quiet NaN); Q8_0 splits each row into blocks of 32 with scale
/// d = max|x| / 127 stored as float16 and codes round(x · (1/d)), halves away from zero.
/// </summary>
public static class GgmlEncoding
{
    public static byte[] Encode(ReadOnlySpan<float> values, GgmlType type) => type switch
    {
        GgmlType.F32 => EncodeF32(values),
        GgmlType.F16 => EncodeF16(values),
        GgmlType.BF16 => EncodeBF16(values),
        GgmlType.Q8_0 => EncodeQ8(values),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static float[] Decode(ReadOnlySpan<byte> bytes, GgmlType type) => type switch
    {
        GgmlType.F32 => DecodeF32(bytes),
        GgmlType.F16 => DecodeF16(bytes),
        GgmlType.BF16 => DecodeBF16(bytes),
        GgmlType.Q8_0 => DecodeQ8(bytes),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static byte[] EncodeF32(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    public static byte[] EncodeF16(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(i * 2), (Half)values[i]);
        }

        return bytes;
    }

    public static byte[] EncodeBF16(ReadOnlySpan<float> values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), ToBFloat16(values[i]));
        }

        return bytes;
    }

    /// <summary>Q8_0 of a row-major tensor whose rows are multiples of 32 long (blocks never cross a row then).</summary>
    public static byte[] EncodeQ8(ReadOnlySpan<float> values)
    {
        if (values.Length % GgmlTypes.Q8BlockElements != 0)
        {
            throw new ArgumentException($"Q8_0 needs a multiple of {GgmlTypes.Q8BlockElements} values, not {values.Length}.", nameof(values));
        }

        var blocks = values.Length / GgmlTypes.Q8BlockElements;
        var bytes = new byte[blocks * GgmlTypes.Q8BlockBytes];
        for (var block = 0; block < blocks; block++)
        {
            var source = values.Slice(block * GgmlTypes.Q8BlockElements, GgmlTypes.Q8BlockElements);
            var target = bytes.AsSpan(block * GgmlTypes.Q8BlockBytes, GgmlTypes.Q8BlockBytes);
            var absMax = 0f;
            foreach (var value in source)
            {
                absMax = MathF.Max(absMax, MathF.Abs(value));
            }

            var scale = absMax / 127f;
            var inverse = scale == 0f ? 0f : 1f / scale;
            BinaryPrimitives.WriteHalfLittleEndian(target, (Half)scale);
            for (var i = 0; i < GgmlTypes.Q8BlockElements; i++)
            {
                target[2 + i] = unchecked((byte)(sbyte)MathF.Round(source[i] * inverse, MidpointRounding.AwayFromZero));
            }
        }

        return bytes;
    }

    public static float[] DecodeF32(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 4];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }

        return values;
    }

    public static float[] DecodeF16(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
        }

        return values;
    }

    public static float[] DecodeBF16(ReadOnlySpan<byte> bytes)
    {
        var values = new float[bytes.Length / 2];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
        }

        return values;
    }

    public static float[] DecodeQ8(ReadOnlySpan<byte> bytes)
    {
        var blocks = bytes.Length / GgmlTypes.Q8BlockBytes;
        var values = new float[blocks * GgmlTypes.Q8BlockElements];
        for (var block = 0; block < blocks; block++)
        {
            var source = bytes.Slice(block * GgmlTypes.Q8BlockBytes, GgmlTypes.Q8BlockBytes);
            var scale = (float)BinaryPrimitives.ReadHalfLittleEndian(source);
            for (var i = 0; i < GgmlTypes.Q8BlockElements; i++)
            {
                values[block * GgmlTypes.Q8BlockElements + i] = (sbyte)source[2 + i] * scale;
            }
        }

        return values;
    }

    /// <summary>float32 → bfloat16 bits, rounding to nearest even; a NaN becomes a quiet NaN of the same sign.</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7fffffffu) > 0x7f800000u)
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        return (ushort)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
    }
}
