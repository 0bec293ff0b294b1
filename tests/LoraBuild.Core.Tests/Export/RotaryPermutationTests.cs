using LoraBuild.Core.Export;

namespace LoraBuild.Core.Tests.Export;

public class RotaryPermutationTests
{
    [Fact]
    public void EachHeadInterleavesItsTwoHalves()
    {
        // 2 heads of width 6, 3 columns; every value is its row index.
        const int Heads = 2, HeadWidth = 6, Columns = 3;
        var rows = Heads * HeadWidth;
        var values = Enumerable.Range(0, rows * Columns).Select(i => (float)(i / Columns)).ToArray();

        var permuted = RotaryPermutation.PermuteRows(values, rows, Columns, Heads);

        // Head 0: pairs (0, 3), (1, 4), (2, 5) become adjacent; head 1 the same, 6 rows on.
        float[] expectedRows = [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11];
        Assert.Equal(expectedRows.SelectMany(row => Enumerable.Repeat(row, Columns)), permuted);
        for (var h = 0; h < Heads; h++)
        {
            for (var j = 0; j < HeadWidth / 2; j++)
            {
                for (var i = 0; i < 2; i++)
                {
                    var row = h * HeadWidth + 2 * j + i;
                    Assert.All(permuted.AsSpan(row * Columns, Columns).ToArray(), value => Assert.Equal(h * HeadWidth + i * HeadWidth / 2 + j, value));
                }
            }
        }
    }

    [Fact]
    public void ABiasIsReorderedAsOneColumn()
    {
        float[] bias = [10, 11, 12, 13, 20, 21, 22, 23];

        var permuted = RotaryPermutation.PermuteRows(bias, rows: 8, columns: 1, heads: 2);

        Assert.Equal([10f, 12f, 11f, 13f, 20f, 22f, 21f, 23f], permuted);
    }

    [Fact]
    public void OneHeadOfWidthTwoIsUnchanged()
    {
        float[] values = [1, 2, 3, 4];

        Assert.Equal(values, RotaryPermutation.PermuteRows(values, rows: 2, columns: 2, heads: 1));
    }

    [Fact]
    public void PermutingLoraBCommutesWithTheProductBA()
    {
        const int Heads = 4, HeadWidth = 8, Rank = 3, Columns = 5;
        var rows = Heads * HeadWidth;
        var random = new Random(2);
        var b = Enumerable.Range(0, rows * Rank).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var a = Enumerable.Range(0, Rank * Columns).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();

        var permutedThenMultiplied = Multiply(RotaryPermutation.PermuteRows(b, rows, Rank, Heads), a, rows, Rank, Columns);
        var multipliedThenPermuted = RotaryPermutation.PermuteRows(Multiply(b, a, rows, Rank, Columns), rows, Columns, Heads);

        Assert.Equal(multipliedThenPermuted, permutedThenMultiplied);
        Assert.NotEqual(Multiply(b, a, rows, Rank, Columns), multipliedThenPermuted); // the permutation did move rows
    }

    [Fact]
    public void ThePermutationIsAPermutation()
    {
        var values = Enumerable.Range(0, 64 * 2).Select(i => (float)i).ToArray();

        var permuted = RotaryPermutation.PermuteRows(values, rows: 64, columns: 2, heads: 4);

        Assert.Equal(values, permuted.Order());
        Assert.NotEqual(values, permuted);
    }

    [Theory]
    [InlineData(8, 1, 0, 8)] // no heads
    [InlineData(8, 1, -2, 8)]
    [InlineData(9, 1, 3, 9)] // heads of odd width 3
    [InlineData(8, 1, 3, 8)] // rows not a multiple of heads
    [InlineData(8, 2, 2, 8)] // fewer values than rows × columns
    [InlineData(8, 1, 2, 9)] // more
    public void ShapesThatAreNotRotaryHeadsAreRejected(int rows, int columns, int heads, int length) =>
        Assert.Throws<ArgumentException>(() => RotaryPermutation.PermuteRows(new float[length], rows, columns, heads));

    private static float[] Multiply(float[] left, float[] right, int rows, int inner, int columns)
    {
        var product = new float[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                var sum = 0f;
                for (var k = 0; k < inner; k++)
                {
                    sum += left[r * inner + k] * right[k * columns + c];
                }

                product[r * columns + c] = sum;
            }
        }

        return product;
    }
}
