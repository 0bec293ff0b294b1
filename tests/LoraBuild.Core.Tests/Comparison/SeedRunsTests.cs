using LoraBuild.Core.Comparison;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Tests.Comparison;

public class SeedRunsTests
{
    [Fact]
    public void SeedsCountUpFromTheSpecsSeed()
    {
        Assert.Equal([42, 43, 44], SeedRuns.Seeds(42, 3));
        Assert.Equal([-1, 0], SeedRuns.Seeds(-1, 2));
        Assert.Equal("seed-43", SeedRuns.FolderName(43));
    }

    [Theory]
    [InlineData(42, 1)]
    [InlineData(42, 0)]
    [InlineData(int.MaxValue, 2)]
    public void TooFewSeedsOrSeedsPastIntMaxAreRejected(int first, int count)
    {
        var error = Assert.Throws<LoraException>(() => SeedRuns.Seeds(first, count));

        Assert.Equal(ComparisonErrorCodes.SeedCountInvalid, error.Code);
    }
}
