using System.Text.Json;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Tests.IO;

public class JsonStringsTests
{
    [Theory]
    [InlineData("{\"a\": [1, \"x\", {\"b\": \"\\uD83D\\uDE00\"}]}", null)]
    [InlineData("{\"a\": [1, \"x\", {\"b\": \"\\uD800\"}]}", "$.a[2].b")]
    [InlineData("[\"ok\", \"\\uDC00\"]", "$[1]")]
    [InlineData("{\"\\uD800\": 1}", "$.?")]
    [InlineData("\"\\uD83Dx\"", "$")]
    public void FindsTheFirstStringThatCannotBeRead(string json, string? expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, JsonStrings.FindIllFormed(document.RootElement));
    }

    [Fact]
    public void FindsBytesThatAreNotUtf8()
    {
        var bytes = "{\"a\": \"bc\"}"u8.ToArray();
        bytes[^3] = 0xAD;
        using var document = JsonDocument.Parse(bytes);

        Assert.Equal("$.a", JsonStrings.FindIllFormed(document.RootElement));
    }
}
