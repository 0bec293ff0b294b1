using LoraBuild.Tasks.Items;
using static LoraBuild.Tasks.Tests.Items.ItemFactory;

namespace LoraBuild.Tasks.Tests.Items;

public class AdapterSeedsTests
{
    private static readonly LoraItemReference s_reference = new(LoraItemNames.Adapter, "A", null);

    [Theory]
    [InlineData("", 1)]
    [InlineData("1", 1)]
    [InlineData(" 3 ", 3)]
    public void SeedsDefaultsToOne(string text, int expected) =>
        Assert.Equal(expected, AdapterSeeds.Count(Item("A", ("Seeds", text)), 42, s_reference));

    [Theory]
    [InlineData("0", 42)]
    [InlineData("-2", 42)]
    [InlineData("three", 42)]
    [InlineData("2.5", 42)]
    [InlineData("2", int.MaxValue)]
    public void ABadCountIsAnErrorAtTheSeedsAttribute(string text, int firstSeed)
    {
        var error = Assert.Throws<LoraItemException>(() => AdapterSeeds.Count(Item("A", ("Seeds", text)), firstSeed, s_reference));

        Assert.Equal(TaskErrorCodes.SeedsInvalid, error.Code);
        Assert.Equal("Seeds", error.MetadataName);
    }

    [Fact]
    public void SeedsIsKnownMetadata() =>
        Assert.Empty(AdapterSpecBuilder.UnknownMetadata(LoraItemNames.Adapter, Item("A", ("Seeds", "3"))));
}
