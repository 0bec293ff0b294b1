using System.Buffers.Binary;
using LoraBuild.Core.Gguf;

namespace LoraBuild.Core.Tests.Gguf;

public class GgmlEncodingTests
{
    [Theory]
    [InlineData(1.0f, 0x3C00)]
    [InlineData(-2.0f, 0xC000)]
    [InlineData(65504f, 0x7BFF)] // the largest finite half
    [InlineData(float.PositiveInfinity, 0x7C00)]
    [InlineData(float.NegativeInfinity, 0xFC00)]
    [InlineData(65520f, 0x7C00)] // halfway between 65504 and 65536 (odd): to even, which overflows to infinity
    [InlineData(65519f, 0x7BFF)]
    public void Float16BitsAreIeee(float value, int bits) => Assert.Equal((ushort)bits, Float16Bits(value));

    [Theory]
    [InlineData(1, 0)] // 1 + 2^-11: halfway between 0x3C00 and 0x3C01 → 0x3C00 (even)
    [InlineData(3, 2)] // 1 + 3·2^-11: halfway between 0x3C01 and 0x3C02 → 0x3C02 (even)
    [InlineData(5, 2)] // 1 + 5·2^-11: halfway between 0x3C02 and 0x3C03 → 0x3C02
    [InlineData(7, 4)] // 1 + 7·2^-11: halfway between 0x3C03 and 0x3C04 → 0x3C04
    public void Float16RoundsHalfwayToEven(int halfUlps, int mantissa)
    {
        var value = 1f + halfUlps * MathF.Pow(2, -11);

        Assert.Equal((ushort)(0x3C00 + mantissa), Float16Bits(value));
        Assert.Equal((ushort)(0x3C00 + (halfUlps + 1) / 2), Float16Bits(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) + 1))); // just above: up
        Assert.Equal((ushort)(0x3C00 + halfUlps / 2), Float16Bits(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(value) - 1))); // just below: down
    }

    [Fact]
    public void Float16RoundsSubnormalHalfwaysToEven()
    {
        Assert.Equal((ushort)0x0000, Float16Bits(MathF.Pow(2, -25))); // halfway between 0 and the smallest subnormal
        Assert.Equal((ushort)0x0002, Float16Bits(3 * MathF.Pow(2, -25))); // halfway between 1 and 2 subnormal units
        Assert.Equal((ushort)0x8000, Float16Bits(-MathF.Pow(2, -25)));
    }

    [Fact]
    public void Float16NaNStaysNaN()
    {
        var decoded = GgmlEncoding.Decode(GgmlEncoding.Encode([float.NaN, 1.5f], GgmlType.F16), GgmlType.F16);

        Assert.True(float.IsNaN(decoded[0]));
        Assert.Equal(1.5f, decoded[1]);
    }

    [Theory]
    [InlineData(1.0f, 0x3F80)]
    [InlineData(-2.5f, 0xC020)]
    [InlineData(0.0f, 0x0000)]
    [InlineData(-0.0f, 0x8000)]
    [InlineData(3.0f, 0x4040)]
    [InlineData(float.PositiveInfinity, 0x7F80)]
    [InlineData(float.NegativeInfinity, 0xFF80)]
    [InlineData(float.MaxValue, 0x7F80)] // rounds up past the largest bfloat16, to infinity, as torch does
    public void BFloat16BitsForKnownValues(float value, int bits)
    {
        Assert.Equal((ushort)bits, GgmlEncoding.ToBFloat16(value));
        Assert.Equal([(byte)bits, (byte)(bits >> 8)], GgmlEncoding.Encode([value], GgmlType.BF16));
    }

    [Theory]
    [InlineData(0x3F808000u, 0x3F80)] // halfway, even below
    [InlineData(0x3F818000u, 0x3F82)] // halfway, even above
    [InlineData(0x3F808001u, 0x3F81)] // just above halfway
    [InlineData(0x3F817FFFu, 0x3F81)] // just below halfway
    [InlineData(0xBF818000u, 0xBF82)] // negative: magnitude rounds the same way
    [InlineData(0x7F7F8000u, 0x7F80)] // halfway at the top of the range: to even, infinity
    [InlineData(0x00008000u, 0x0000)] // subnormal halfway to even zero
    [InlineData(0x00018000u, 0x0002)]
    public void BFloat16RoundsHalfwayToEven(uint floatBits, int bits) =>
        Assert.Equal((ushort)bits, GgmlEncoding.ToBFloat16(BitConverter.UInt32BitsToSingle(floatBits)));

    [Theory]
    [InlineData(0x7FC00000u)] // the quiet NaN
    [InlineData(0x7F800001u)] // payload only in the low bits: truncating or rounding would make infinity
    [InlineData(0x7FFFFFFFu)] // rounding would carry out of the exponent
    [InlineData(0xFF800001u)]
    public void BFloat16KeepsNaNANaNOfTheSameSign(uint floatBits)
    {
        var nan = BitConverter.UInt32BitsToSingle(floatBits);

        var bits = GgmlEncoding.ToBFloat16(nan);
        var decoded = GgmlEncoding.Decode(GgmlEncoding.Encode([nan], GgmlType.BF16), GgmlType.BF16)[0];

        Assert.True(float.IsNaN(decoded), $"0x{floatBits:X8} → 0x{bits:X4}");
        Assert.Equal(float.IsNegative(nan), float.IsNegative(decoded));
        Assert.Equal(0x7F80, bits & 0x7F80);
    }

    [Fact]
    public void BFloat16DecodesToTheUpperHalfOfTheFloat()
    {
        var decoded = GgmlEncoding.DecodeBF16([0x80, 0x3F, 0x20, 0xC0, 0x80, 0x7F]);

        Assert.Equal([1.0f, -2.5f, float.PositiveInfinity], decoded);
    }

    [Fact]
    public void Float32RoundTripsExactly()
    {
        float[] values = [0f, -0f, 1f, -1.5e-40f, float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, BitConverter.UInt32BitsToSingle(0x7FC12345), 0.1f];
        var random = new Random(11);
        values = [.. values, .. Enumerable.Range(0, 100).Select(_ => BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue)))];

        var bytes = GgmlEncoding.Encode(values, GgmlType.F32);
        var decoded = GgmlEncoding.Decode(bytes, GgmlType.F32);

        Assert.Equal(values.Length * 4, bytes.Length);
        Assert.Equal(values.Select(BitConverter.SingleToUInt32Bits), decoded.Select(BitConverter.SingleToUInt32Bits));
        Assert.Equal(0.1f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(40)));
    }

    [Fact]
    public void Q8ScaleIsFloat16OfAbsMaxOver127()
    {
        var block = new float[32];
        block[5] = -1f; // absmax 1: scale 1/127 = 0.0078740…, as float16 0x2008 (2^-7 · (1 + 8/1024))
        block[6] = 0.5f;

        var bytes = GgmlEncoding.EncodeQ8(block);

        Assert.Equal(34, bytes.Length);
        Assert.Equal(0x2008, BinaryPrimitives.ReadUInt16LittleEndian(bytes));
        Assert.Equal(unchecked((byte)-127), bytes[2 + 5]);
        Assert.Equal(64, bytes[2 + 6]); // 0.5 · 127 = 63.5 → 64, away from zero
        Assert.Equal(0, bytes[2 + 7]);
    }

    [Fact]
    public void Q8CodesRoundHalfAwayFromZero()
    {
        // absmax 127 makes the scale exactly 1, so each value · 127 / absmax is the value itself: k + 0.5 exactly.
        float[] values = [127f, 2.5f, -2.5f, 0.5f, -0.5f, 1.5f, -1.5f, 126.5f, -126.5f, 3.4999998f, -3.4999998f, 0.49999997f];
        var block = new float[32];
        values.CopyTo(block, 0);

        var bytes = GgmlEncoding.EncodeQ8(block);

        Assert.Equal((ushort)0x3C00, BinaryPrimitives.ReadUInt16LittleEndian(bytes)); // float16 1.0
        sbyte[] expected = [127, 3, -3, 1, -1, 2, -2, 127, -127, 3, -3, 0];
        Assert.Equal(expected, bytes.AsSpan(2, values.Length).ToArray().Select(code => (sbyte)code));
        Assert.All(bytes.AsSpan(2 + values.Length, 32 - values.Length).ToArray(), code => Assert.Equal(0, code));
    }

    [Fact]
    public void Q8OfAnAllZeroBlockIsAllZero()
    {
        var block = new float[64];
        block[40] = 2f; // only the second block is non-zero

        var bytes = GgmlEncoding.EncodeQ8(block);

        Assert.Equal(new byte[34], bytes[..34]);
        Assert.Equal(new float[32], GgmlEncoding.DecodeQ8(bytes)[..32]);
        Assert.Equal(2f, GgmlEncoding.DecodeQ8(bytes)[40], 0.001f);
    }

    [Fact]
    public void Q8ErrorIsAtMostHalfAScaleStep()
    {
        var random = new Random(3);
        var values = new float[32 * 64];
        for (var i = 0; i < values.Length; i++)
        {
            var magnitude = MathF.Pow(10, i / 32 % 6 - 2); // each block its own range, 1e-2 to 1e3 (scales stay normal float16s)
            values[i] = (float)(random.NextDouble() * 2 - 1) * magnitude;
        }

        var bytes = GgmlEncoding.Encode(values, GgmlType.Q8_0);
        var decoded = GgmlEncoding.Decode(bytes, GgmlType.Q8_0);

        Assert.Equal(64 * 34, bytes.Length);
        for (var block = 0; block < 64; block++)
        {
            var source = values.AsSpan(block * 32, 32);
            var absMax = 0f;
            foreach (var value in source)
            {
                absMax = Math.Max(absMax, Math.Abs(value));
            }

            var exactScale = absMax / 127.0;
            var storedScale = (double)BinaryPrimitives.ReadHalfLittleEndian(bytes.AsSpan(block * 34));
            Assert.True(Math.Abs(storedScale - exactScale) <= exactScale / 2048, $"block {block}: scale {storedScale} for {exactScale}"); // float16 rounding
            var bound = exactScale / 2 + 127 * Math.Abs(storedScale - exactScale) + 1e-6 * absMax;
            for (var i = 0; i < 32; i++)
            {
                var error = Math.Abs(decoded[block * 32 + i] - source[i]);
                Assert.True(error <= bound, $"block {block} item {i}: {source[i]} decoded as {decoded[block * 32 + i]}, error {error} > {bound}");
            }
        }
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(48)]
    public void Q8RejectsALengthThatIsNotAMultipleOf32(int length)
    {
        Assert.Throws<ArgumentException>(() => GgmlEncoding.EncodeQ8(new float[length]));
        Assert.Throws<ArgumentException>(() => GgmlEncoding.Encode(new float[length], GgmlType.Q8_0));
    }

    [Fact]
    public void ByteCountsMatchTheEncodings()
    {
        var values = new float[96];

        Assert.Equal(GgmlTypes.ByteCount(GgmlType.F32, 96, 32), GgmlEncoding.Encode(values, GgmlType.F32).Length);
        Assert.Equal(GgmlTypes.ByteCount(GgmlType.F16, 96, 32), GgmlEncoding.Encode(values, GgmlType.F16).Length);
        Assert.Equal(GgmlTypes.ByteCount(GgmlType.BF16, 96, 32), GgmlEncoding.Encode(values, GgmlType.BF16).Length);
        Assert.Equal(GgmlTypes.ByteCount(GgmlType.Q8_0, 96, 32), GgmlEncoding.Encode(values, GgmlType.Q8_0).Length);
        Assert.Equal(102, GgmlTypes.ByteCount(GgmlType.Q8_0, 96, 32));
        Assert.Throws<ArgumentException>(() => GgmlTypes.ByteCount(GgmlType.Q8_0, 96, 48));
        Assert.Equal(["f32", "f16", "bf16", "q8_0"], new[] { GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0 }.Select(GgmlTypes.Name));
        Assert.Equal([0u, 1u, 30u, 8u], new[] { GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0 }.Select(type => (uint)type));
    }

    private static ushort Float16Bits(float value) => BinaryPrimitives.ReadUInt16LittleEndian(GgmlEncoding.EncodeF16([value]));
}
