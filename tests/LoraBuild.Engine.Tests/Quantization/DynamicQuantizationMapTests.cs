using LoraBuild.Engine.Quantization;

namespace LoraBuild.Engine.Tests.Quantization;

public class DynamicQuantizationMapTests
{
    [Fact]
    public void HasTwoHundredFiftySixDistinctAscendingValuesFromMinusOneToOne()
    {
        var map = DynamicQuantizationMap.Values;

        Assert.Equal(256, map.Count);
        Assert.Equal(256, map.Distinct().Count());
        Assert.Equal(map.Order(), map);
        Assert.Equal(1f, map[^1]);
        Assert.Contains(0f, map);

        // The largest negative magnitude is the last midpoint of the top decade: (1 - 0.9/128) ≈ 0.99297.
        Assert.Equal(-(1f - (0.9f / 128)), map[0], precision: 6);
    }

    [Fact]
    public void EachDecadeHoldsTwiceAsManyValuesAsTheOneBelow()
    {
        var positive = DynamicQuantizationMap.Values.Where(v => v > 0 && v < 1).ToList();

        for (var i = 0; i < 7; i++)
        {
            var low = MathF.Pow(10, i - 7);
            var high = MathF.Pow(10, i - 6);
            Assert.Equal(1 << i, positive.Count(v => v >= low && v < high));
        }
    }
}
