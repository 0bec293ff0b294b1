using LoraBuild.Engine.Quantization;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Quantization;

public class FourBitWeightTests
{
    private static float[] Values(Tensor tensor) => tensor.to_type(ScalarType.Float32).data<float>().ToArray();

    private static byte[] Bytes(Tensor tensor) => tensor.data<byte>().ToArray();

    [Fact]
    public void CodebookValuesQuantizeToTheirOwnCodesAndPackHighNibbleFirst()
    {
        using var scope = NewDisposeScope();
        var input = Enumerable.Range(0, 64).Select(i => Nf4Codebook.Values[i % 16] * 3f).ToArray();

        using var weight = FourBitWeight.Quantize(tensor(input), doubleQuantize: false);

        var expected = Enumerable.Range(0, 32).Select(j => (byte)(((2 * j % 16) << 4) | ((2 * j) + 1) % 16)).ToArray();
        Assert.Equal(expected, Bytes(weight.Packed));
        Assert.Equal(0x01, expected[0]);
        Assert.Equal(0xEF, expected[7]);
        Assert.Equal([3f], Values(weight.Absmax()));
        Assert.Equal(input, Values(weight.Dequantize()));
    }

    [Fact]
    public void EachValueTakesTheNearestCodeAndAnExactMidpointTakesTheLowerOne()
    {
        using var scope = NewDisposeScope();
        var midpoint = (Nf4Codebook.Values[14] + Nf4Codebook.Values[15]) / 2f;
        var negativeMidpoint = (Nf4Codebook.Values[0] + Nf4Codebook.Values[1]) / 2f;
        float[] input = [1f, MathF.BitIncrement(midpoint), midpoint, MathF.BitDecrement(midpoint), negativeMidpoint, 0.01f, -0.05f, 0.05f];

        using var weight = FourBitWeight.Quantize(tensor(input), doubleQuantize: false);

        // Codes 15, 15 | 14, 14 | 0, 7 | 6, 8: -0.05 is nearer -0.0911 than 0; 0.05 is nearer 0.0796 than 0.
        Assert.Equal([0xFF, 0xEE, 0x07, 0x68], Bytes(weight.Packed));
    }

    [Fact]
    public void APartialLastBlockHasItsOwnAbsmaxAndAnOddCountLeavesTheLastLowNibbleZero()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(seed: 11);
        var input = randn([71], generator: generator);
        input[70] = tensor(-5f);

        using var weight = FourBitWeight.Quantize(input, doubleQuantize: false);

        Assert.Equal(2, weight.BlockCount);
        Assert.Equal(36, weight.Packed.shape[0]);
        Assert.Equal(15 * 16 + 15, 0xFF);
        Assert.Equal(0, Bytes(weight.Packed)[35] & 0x0F);
        Assert.Equal(0, Bytes(weight.Packed)[35] >> 4);
        var absmax = Values(weight.Absmax());
        Assert.Equal(input.narrow(0, 0, 64).abs().max().item<float>(), absmax[0]);
        Assert.Equal(5f, absmax[1]);
        Assert.Equal(new long[] { 71 }, weight.Dequantize().shape);
    }

    [Fact]
    public void ABlockOfZerosDequantizesToZeros()
    {
        using var scope = NewDisposeScope();
        using var weight = FourBitWeight.Quantize(zeros(2, 64), doubleQuantize: false);

        Assert.All(Bytes(weight.Packed), b => Assert.Equal(0x77, b));
        Assert.All(Values(weight.Dequantize()), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void DequantizationErrorIsAtMostHalfTheWidestCodeGapTimesTheBlockAbsmax()
    {
        using var scope = NewDisposeScope();
        var input = randn([32, 128], generator: new Generator(seed: 3));
        var halfWidestGap = Enumerable.Range(0, 15).Max(i => Nf4Codebook.Values[i + 1] - Nf4Codebook.Values[i]) / 2f;

        using var weight = FourBitWeight.Quantize(input, doubleQuantize: false);

        var error = (weight.Dequantize() - input).abs().reshape(-1, 64).amax([1]);
        var bound = (weight.Absmax() * halfWidestGap) + 1e-6f;
        Assert.True((error <= bound).all().item<bool>());
        Assert.Equal(input.shape, weight.Dequantize().shape);
    }

    [Fact]
    public void WeightsKeepTheirDtypeOnTheWayOut()
    {
        using var scope = NewDisposeScope();
        var input = randn([8, 64], generator: new Generator(seed: 5)).to_type(ScalarType.BFloat16);

        using var weight = FourBitWeight.Quantize(input);

        Assert.Equal(ScalarType.BFloat16, weight.Dequantize(ScalarType.BFloat16).dtype);
    }

    [Fact]
    public void DoubleQuantizedStorageIsAtMost27PercentOfBf16()
    {
        using var scope = NewDisposeScope();
        var input = randn([256, 512], generator: new Generator(seed: 7));

        using var plain = FourBitWeight.Quantize(input, doubleQuantize: false);
        using var doubled = FourBitWeight.Quantize(input);

        var bf16Bytes = input.numel() * 2;
        Assert.True(doubled.IsDoubleQuantized);
        Assert.Equal((input.numel() / 2) + 2048 + (8 * 4) + 4, doubled.StorageBytes);
        Assert.True(doubled.StorageBytes <= 0.27 * bf16Bytes, $"{doubled.StorageBytes} bytes for {bf16Bytes} bf16 bytes");
        Assert.Equal((input.numel() / 2) + (2048 * 4), plain.StorageBytes);
    }

    [Fact]
    public void DoubleQuantizationChangesTheAbsmaxByLessThanTheDynamicMapsWidestHalfGap()
    {
        using var scope = NewDisposeScope();
        var input = randn([300, 64], generator: new Generator(seed: 9)) * linspace(0.1, 4, 300).unsqueeze(1);
        var map = DynamicQuantizationMap.Values;
        var halfWidestGap = Enumerable.Range(0, map.Count - 1).Max(i => map[i + 1] - map[i]) / 2f;

        using var plain = FourBitWeight.Quantize(input, doubleQuantize: false);
        using var doubled = FourBitWeight.Quantize(input);

        var exact = plain.Absmax();
        var centred = exact - exact.mean();
        var blockScales = nn.functional.pad(centred, [0, 512 - 300]).reshape(2, 256).abs().amax([1]).repeat_interleave(256).narrow(0, 0, 300);
        var error = (doubled.Absmax() - exact).abs();
        var excess = (error - (blockScales * halfWidestGap)).max().item<float>();
        Assert.True(excess <= 1e-6f, $"absmax error exceeds the bound by {excess}");
        var weightError = (doubled.Dequantize() - plain.Dequantize()).abs().max().item<float>();

        // Codes stay the same and every code is within [-1, 1], so no weight moves further than its block's absmax.
        Assert.True(weightError <= error.max().item<float>() + 1e-6f, $"weights moved by {weightError}");
    }

    [Theory]
    [InlineData(4, 64, true)]
    [InlineData(3, 70, true)]
    [InlineData(5, 13, false)]
    public void DequantizationIsEachNibblesCodebookValueTimesItsBlocksAbsmax(int rows, int columns, bool doubleQuantize)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(7);
        using var weight = FourBitWeight.Quantize(randn([rows, columns], generator: generator), doubleQuantize);
        var packed = Bytes(weight.Packed);
        var absmax = Values(weight.Absmax());

        var expected = new float[rows * columns];
        for (var i = 0; i < expected.Length; i++)
        {
            var code = i % 2 == 0 ? packed[i / 2] >> 4 : packed[i / 2] & 0x0F;
            expected[i] = Nf4Codebook.Values[code] * absmax[i / weight.BlockSize];
        }

        var dequantized = weight.Dequantize();
        Assert.Equal([rows, columns], dequantized.shape);
        Assert.Equal(expected, Values(dequantized));
    }

    [Fact]
    public void Bf16DequantizationIsWithinThreeBf16RoundingsOfTheExactValues()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(9);
        using var weight = FourBitWeight.Quantize(randn([16, 256], generator: generator));

        var exact = weight.Dequantize();
        var bf16 = weight.Dequantize(ScalarType.BFloat16).to_type(ScalarType.Float32);

        // bfloat16 keeps 8 significant bits, so each rounding is within 2^-8 relative: the code value, the absmax and
        // their product are rounded once each.
        var relative = ((bf16 - exact).abs() / exact.abs().clamp_min(1e-30)).max().item<float>();
        Assert.True(relative <= 3.0 / 256, $"relative difference {relative}");
        Assert.Equal(Values(exact.eq(0)), Values(bf16.eq(0)));
    }

    [Theory]
    [InlineData("nf4", ScalarType.BFloat16, 71)]
    [InlineData("nf4", ScalarType.BFloat16, 4096)]
    [InlineData("nf4", ScalarType.Float16, 71)]
    [InlineData("nf4", ScalarType.Float16, 4096)]
    [InlineData("fp4", ScalarType.BFloat16, 4096)]
    [InlineData("fp4", ScalarType.Float32, 71)]
    public void DequantizationIsEachCodeValueTimesItsBlockAbsmaxInTheTargetDtype(string quantization, ScalarType dtype, int count)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var format = FourBitFormat.ForQuantization(quantization)!;
        using var weight = FourBitWeight.Quantize(randn([count], generator: generator) * 0.02, format);

        var bytes = Bytes(weight.Packed);
        var codeValues = Enumerable.Range(0, count)
            .Select(i => format.Values[i % 2 == 0 ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0F])
            .ToArray();
        var blockAbsmax = weight.Absmax().to_type(dtype).repeat_interleave(weight.BlockSize).narrow(0, 0, count);
        var expected = tensor(codeValues).to_type(dtype).mul(blockAbsmax);

        var dequantized = weight.Dequantize(dtype);

        Assert.Equal(dtype, dequantized.dtype);
        Assert.Equal(expected.bytes.ToArray(), dequantized.bytes.ToArray());
    }

    [Fact]
    public void Fp4CodesStandForBitsandbytesValuesWithTheSignInBitEight()
    {
        float[] magnitudes = [0f, 0.005208333333f, 0.66666667f, 1f, 0.33333333f, 0.5f, 0.16666667f, 0.25f];

        Assert.Equal(16, Fp4Codebook.Values.Count);
        for (var code = 0; code < 8; code++)
        {
            Assert.Equal(magnitudes[code], Fp4Codebook.Values[code]);
            Assert.Equal(-magnitudes[code], Fp4Codebook.Values[code | 8]);
        }

        Assert.True(float.IsNegative(Fp4Codebook.Values[8]));
    }

    [Fact]
    public void Fp4ValuesTakeTheirCodeByBitsandbytesThresholdsAndAThresholdItselfGoesDown()
    {
        using var scope = NewDisposeScope();
        float[] input =
        [
            1f, 0.8333333f, MathF.BitIncrement(0.8333333f), 0.6f,
            0.42f, 0.3f, 0.21f, 0.1f,
            0.00260417f, MathF.BitIncrement(0.00260417f), 0f, -0f,
            -1e-9f, -0.25f, -1f, -0.5f,
        ];

        using var weight = FourBitWeight.Quantize(tensor(input), FourBitFormat.Fp4, doubleQuantize: false, blockSize: 16);

        // Codes: 3 2 | 3 2 | 5 4 | 7 6 | 0 1 | 0 0 | 8 15 | 11 13 (a tiny negative keeps its sign: code 8 is -0).
        Assert.Equal([0x32, 0x32, 0x54, 0x76, 0x01, 0x00, 0x8F, 0xBD], Bytes(weight.Packed));
        var dequantized = Values(weight.Dequantize());
        Assert.Equal([1f, 0.66666667f, 1f, 0.66666667f], dequantized[..4]);
        Assert.True(float.IsNegative(dequantized[12]));
    }

    [Theory]
    [InlineData("nf4", 4096, true)]
    [InlineData("nf4", 200, false)]
    [InlineData("fp4", 4096, true)]
    [InlineData("fp4", 200, false)]
    public void CodesAreThoseOfBitsandbytesScalarQuantizerOnRandomWeights(string quantization, int count, bool doubleQuantize)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(21);
        var input = randn([count], generator: generator) * 0.02;
        var format = FourBitFormat.ForQuantization(quantization)!;

        using var weight = FourBitWeight.Quantize(input, format, doubleQuantize);

        var values = Values(input);
        var bytes = Bytes(weight.Packed);
        for (var i = 0; i < count; i++)
        {
            var block = values.AsSpan((i / 64) * 64, Math.Min(64, count - ((i / 64) * 64)));
            var absmax = 0f;
            foreach (var value in block)
            {
                absmax = MathF.Max(absmax, MathF.Abs(value));
            }

            var normalized = values[i] * (1f / absmax);
            var expected = quantization == "nf4" ? ScalarNf4Code(normalized) : ScalarFp4Code(normalized);
            var actual = i % 2 == 0 ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0F;
            Assert.True(expected == actual, $"element {i}: {values[i]} (normalized {normalized}) took code {actual}, bitsandbytes gives {expected}");
        }
    }

    [Fact]
    public void Fp4DequantizationIsWithinHalfItsWidestGapOfEachBlocksAbsmax()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(23);
        var input = randn([32, 64], generator: generator);

        using var weight = FourBitWeight.Quantize(input, FourBitFormat.Fp4, doubleQuantize: false);

        // The widest gap between neighbouring FP4 magnitudes is 1 - 2/3; the sign is exact.
        var error = (weight.Dequantize() - input).abs().reshape(-1, 64).amax([1]);
        var bound = input.abs().reshape(-1, 64).amax([1]) * (1.0 / 6.0) * 1.000001;
        Assert.True(error.le(bound).all().item<bool>());
    }

    /// <summary>bitsandbytes' dQuantizeNF4: its fifteen pivots, compared with "strictly greater".</summary>
    private static int ScalarNf4Code(float x)
    {
        float[] pivots =
        [
            -0.8480964004993439f, -0.6106329262256622f, -0.4599952697753906f, -0.33967943489551544f, -0.23460740596055984f,
            -0.13791173323988914f, -0.045525018125772476f, 0.03979014977812767f, 0.1202552504837513f, 0.2035212516784668f,
            0.2920137718319893f, 0.3893125355243683f, 0.5016634166240692f, 0.6427869200706482f, 0.8614784181118011f,
        ];
        return pivots.Count(pivot => x > pivot);
    }

    /// <summary>bitsandbytes' dQuantizeFP4: sign bit for negatives, then the magnitude's interval.</summary>
    private static int ScalarFp4Code(float x)
    {
        var sign = x < 0 ? 8 : 0;
        var magnitude = MathF.Abs(x);
        return sign + magnitude switch
        {
            > 0.8333333f => 0b011,
            > 0.583333f => 0b010,
            > 0.4166667f => 0b101,
            > 0.29166667f => 0b100,
            > 0.20833333f => 0b111,
            > 0.0859375f => 0b110,
            > 0.00260417f => 0b001,
            _ => 0b000,
        };
    }
}
