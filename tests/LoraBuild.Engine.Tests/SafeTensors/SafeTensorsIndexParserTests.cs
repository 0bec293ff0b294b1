using System.Text;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.SafeTensors;

namespace LoraBuild.Engine.Tests.SafeTensors;

public class SafeTensorsIndexParserTests
{
    private const string Location = "ckpt/model.safetensors.index.json";

    [Fact]
    public void ParsesWeightMapAndMetadata()
    {
        var json = """
            {
              "metadata": {"total_size": 1234, "format": "pt"},
              "weight_map": {
                "b": "model-00002-of-00002.safetensors",
                "a": "model-00001-of-00002.safetensors",
                "c": "model-00001-of-00002.safetensors"
              },
              "extra": [1, {"x": 2}]
            }
            """;

        var index = Parse(json);

        Assert.Equal("1234", index.Metadata["total_size"]);
        Assert.Equal("pt", index.Metadata["format"]);
        Assert.Equal("model-00002-of-00002.safetensors", index.WeightMap["b"]);
        Assert.Equal(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"], index.ShardFiles);
    }

    [Fact]
    public void MetadataIsOptional()
    {
        Assert.Empty(Parse("""{"weight_map":{"a":"s.safetensors"}}""").Metadata);
        Assert.Empty(Parse("""{"metadata":null,"weight_map":{}}""").Metadata);
    }

    [Fact]
    public void ByteOrderMarkIsAccepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"weight_map":{"a":"s.safetensors"}}""")).ToArray();

        Assert.Single(SafeTensorsIndexParser.Parse(bytes, Location).WeightMap);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"weight_map\":{}}x")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"weight_map\":[]}")]
    [InlineData("{\"weight_map\":null}")]
    [InlineData("{\"weight_map\":{\"a\":1}}")]
    [InlineData("{\"weight_map\":{\"a\":\"\"}}")]
    [InlineData("{\"weight_map\":{\"a\":null}}")]
    [InlineData("{\"weight_map\":{\"a\":\"s1\",\"a\":\"s2\"}}")]
    [InlineData("{\"weight_map\":{},\"weight_map\":{}}")]
    [InlineData("{\"metadata\":[],\"weight_map\":{}}")]
    [InlineData("{\"metadata\":{\"k\":1,\"k\":2},\"weight_map\":{}}")]
    [InlineData("{\"weight_map\":{\"\\uDC00\":\"s\"}}")]
    public void MalformedIndexIsRejected(string json)
    {
        var error = Assert.Throws<LoraException>(() => Parse(json));

        Assert.Equal(SafeTensorsErrorCodes.ShardIndexMalformed, error.Code);
        Assert.Equal(Location, error.Location);
    }

    [Fact]
    public void InvalidUtf8IsRejected()
    {
        byte[] json = [.. "{\"weight_map\":{\"a\":\""u8, 0xC3, 0x28, .. "\"}}"u8];

        var error = Assert.Throws<LoraException>(() => SafeTensorsIndexParser.Parse(json, Location));

        Assert.Equal(SafeTensorsErrorCodes.ShardIndexMalformed, error.Code);
    }

    [Fact]
    public void MissingIndexFileIsReported()
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), SafeTensorsIndex.FileName);

        var error = Assert.Throws<LoraException>(() => SafeTensorsIndexParser.Read(path));

        Assert.Equal(SafeTensorsErrorCodes.FileNotFound, error.Code);
        Assert.Equal(path, error.Location);
    }

    private static SafeTensorsIndex Parse(string json) => SafeTensorsIndexParser.Parse(Encoding.UTF8.GetBytes(json), Location);
}
