using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class SplitMix64Tests
{
    [Fact]
    public void OutputsMatchTheReferenceImplementation()
    {
        // The first outputs of Vigna's splitmix64.c seeded with 1234567.
        var random = new SplitMix64(1234567);

        Assert.Equal(6457827717110365317UL, random.NextUInt64());
        Assert.Equal(3203168211198807973UL, random.NextUInt64());
        Assert.Equal(9817491932198370423UL, random.NextUInt64());
    }

    [Fact]
    public void BoundedDrawsAndShuffleArePinned()
    {
        // Computed independently (Python, the same algorithm) so a change of method is caught.
        var draws = new SplitMix64(7);
        var items = Enumerable.Range(0, 10).ToArray();

        new SplitMix64(42).Shuffle(items.AsSpan());

        Assert.Equal([2, 0, 5, 3, 2, 1, 2, 1, 0, 2], Enumerable.Range(0, 10).Select(_ => draws.NextInt(6)));
        Assert.Equal([8, 3, 6, 5, 4, 0, 9, 2, 1, 7], items);
    }

    [Fact]
    public void BoundedDrawsAreInRangeAndRoughlyUniform()
    {
        var random = new SplitMix64(3);
        var counts = new int[7];

        for (var i = 0; i < 70_000; i++)
        {
            counts[random.NextInt(7)]++;
        }

        Assert.All(counts, count => Assert.InRange(count, 9_500, 10_500));
        Assert.Equal(0, new SplitMix64(3).NextInt(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => random.NextInt(0));
    }

    [Fact]
    public void DerivedSeedsDifferPerStreamAndAreStable()
    {
        var seeds = Enumerable.Range(0, 100).Select(stream => SplitMix64.DeriveSeed(42, (ulong)stream)).ToArray();

        Assert.Equal(100, seeds.Distinct().Count());
        Assert.Equal(seeds[5], SplitMix64.DeriveSeed(42, 5));
        Assert.NotEqual(seeds[5], SplitMix64.DeriveSeed(43, 5));
    }
}
