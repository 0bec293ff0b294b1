using LoraBuild.Engine.Quantization;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.Quantization;

public class Int8WeightTests
{
    private const float InverseCodeRange = 7.874015718698502e-3f;

    private static float[] Values(Tensor tensor) => tensor.to_type(ScalarType.Float32).data<float>().ToArray();

    private static sbyte[] Codes(Int8Weight weight) => weight.Codes.data<sbyte>().ToArray();

    [Fact]
    public void EachRowIsScaledTo127AndRoundedHalfToEvenAndAZeroRowGetsZeroCodes()
    {
        using var scope = NewDisposeScope();
        float[] input =
        [
            127f, 62.5f, -62.5f, 0.5f,
            2f, 1f, -0.5f, 0f,
            0f, 0f, 0f, 0f,
        ];

        using var weight = Int8Weight.Quantize(tensor(input, [3, 4]));

        // 62.5 and 0.5 are halves and go to the even neighbour; 1 · 127/2 = 63.5 goes up to 64, -0.5 · 63.5 to -32.
        Assert.Equal([127, 62, -62, 0, 127, 64, -32, 0, 0, 0, 0, 0], Codes(weight));
        Assert.Equal([127f, 2f, 0f], Values(weight.RowAbsmax));
        Assert.Equal(new long[] { 3, 4 }, weight.Shape);
        Assert.All(Values(weight.Dequantize()).Skip(8), value => Assert.Equal(0f, value));
    }

    [Fact]
    public void CodesAndValuesAreThoseOfBitsandbytesReferenceOnARandomWeight()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(31);
        const int rows = 24;
        const int columns = 80;
        var input = randn([rows, columns], generator: generator) * 0.02;

        using var weight = Int8Weight.Quantize(input);

        var values = Values(input);
        var codes = Codes(weight);
        var dequantized = Values(weight.Dequantize());
        var rowAbsmax = Values(weight.RowAbsmax);
        for (var row = 0; row < rows; row++)
        {
            var halves = values.AsSpan(row * columns, columns).ToArray().Select(value => (float)(Half)value).ToArray();
            var absmax = halves.Max(MathF.Abs);
            Assert.Equal(absmax, rowAbsmax[row]);
            var scale = 127f / absmax;
            for (var column = 0; column < columns; column++)
            {
                var index = (row * columns) + column;
                var expected = (sbyte)MathF.Round(halves[column] * scale, MidpointRounding.ToEven);
                Assert.True(expected == codes[index], $"[{row}, {column}]: {halves[column]} took {codes[index]}, the reference gives {expected}");
                Assert.Equal(codes[index] * absmax * InverseCodeRange, dequantized[index]);
            }
        }
    }

    [Fact]
    public void StorageIsAByteAPerElementAndAFloatPerRowAndNarrowDequantizationRoundsOnce()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(32);
        using var weight = Int8Weight.Quantize(randn([64, 256], generator: generator));

        Assert.Equal((64 * 256) + (64 * 4), weight.StorageBytes);
        Assert.True(weight.StorageBytes <= 0.51 * 64 * 256 * 2);
        Assert.Equal(Values(weight.Dequantize().to_type(ScalarType.BFloat16)), Values(weight.Dequantize(ScalarType.BFloat16)));
        Assert.Throws<ArgumentException>(() => Int8Weight.Quantize(zeros(8)));
    }
}
