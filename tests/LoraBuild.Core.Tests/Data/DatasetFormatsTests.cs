using LoraBuild.Core.Data;

namespace LoraBuild.Core.Tests.Data;

public class DatasetFormatsTests
{
    [Theory]
    [InlineData("alpaca", DatasetFormat.Alpaca)]
    [InlineData("Chat", DatasetFormat.Chat)]
    [InlineData(" TEXT ", DatasetFormat.Text)]
    public void NamesParseIgnoringCase(string name, DatasetFormat expected)
    {
        Assert.Equal(expected, DatasetFormats.Parse(name));
    }

    [Fact]
    public void NamesRoundTrip()
    {
        foreach (var format in Enum.GetValues<DatasetFormat>())
        {
            Assert.Equal(format, DatasetFormats.Parse(DatasetFormats.Name(format)));
        }
    }

    [Fact]
    public void UnknownNameIsRejectedWithItsLocation()
    {
        var exception = LoraAssert.Throws(
            DataErrorCodes.UnknownDatasetFormat, "project.csproj:12", () => DatasetFormats.Parse("sharegpt", "project.csproj:12"));
        Assert.Contains("alpaca, chat, text", exception.Message, StringComparison.Ordinal);
    }
}
