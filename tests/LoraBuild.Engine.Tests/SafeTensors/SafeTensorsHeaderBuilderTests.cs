using System.Buffers.Binary;
using System.Text;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.SafeTensors;

namespace LoraBuild.Engine.Tests.SafeTensors;

/// <summary>The writer's layout, checked without libtorch.</summary>
public class SafeTensorsHeaderBuilderTests
{
    private const string Location = "out/model.safetensors";

    [Fact]
    public void HeaderIsCompactSortedAndPaddedWithSpaces()
    {
        SafeTensorSpec[] specs =
        [
            new("b", SafeTensorsDType.F32, [2]),
            new("a", SafeTensorsDType.BF16, [1, 3]),
        ];

        var layout = SafeTensorsHeaderBuilder.Build(specs, new Dictionary<string, string> { ["z"] = "1", ["format"] = "pt" }, Location);

        var expectedJson = """{"__metadata__":{"format":"pt","z":"1"},"a":{"data_offsets":[0,6],"dtype":"BF16","shape":[1,3]},"b":{"data_offsets":[6,14],"dtype":"F32","shape":[2]}}""";
        var bytes = layout.PrefixAndHeader.Span;
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(bytes.Length - 8, headerLength);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(bytes[8..]);
        Assert.Equal(expectedJson, header.TrimEnd(' '));
        Assert.True(header.Length - expectedJson.Length < 8);
        Assert.Equal(14, layout.DataLength);
        Assert.Equal(["a", "b"], layout.Tensors.Select(t => t.Name));
    }

    [Fact]
    public void MetadataKeyTakesItsOrdinalPlaceAmongTensorNames()
    {
        SafeTensorSpec[] specs = [new("z", SafeTensorsDType.U8, [0]), new("A", SafeTensorsDType.U8, [0])];

        var header = HeaderText(SafeTensorsHeaderBuilder.Build(specs, new Dictionary<string, string> { ["k"] = "v" }, Location));

        Assert.True(header.IndexOf("\"A\"", StringComparison.Ordinal) < header.IndexOf("__metadata__", StringComparison.Ordinal));
        Assert.True(header.IndexOf("__metadata__", StringComparison.Ordinal) < header.IndexOf("\"z\"", StringComparison.Ordinal));
    }

    [Fact]
    public void EmptyOrMissingMetadataWritesNone()
    {
        SafeTensorSpec[] specs = [new("w", SafeTensorsDType.F16, [])];

        var none = HeaderText(SafeTensorsHeaderBuilder.Build(specs, null, Location));
        var empty = HeaderText(SafeTensorsHeaderBuilder.Build(specs, new Dictionary<string, string>(), Location));

        Assert.Equal("""{"w":{"data_offsets":[0,2],"dtype":"F16","shape":[]}}""", none.TrimEnd(' '));
        Assert.Equal(none, empty);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void EveryHeaderLengthIsPaddedToAMultipleOfEight(int nameLength)
    {
        SafeTensorSpec[] specs = [new(new string('n', nameLength), SafeTensorsDType.U8, [1])];

        var layout = SafeTensorsHeaderBuilder.Build(specs, null, Location);

        Assert.Equal(0, layout.PrefixAndHeader.Length % 8);
        Assert.Equal(layout.PrefixAndHeader.Length + 1, layout.FileLength);
    }

    [Fact]
    public void NamesAreWrittenAsUtf8AndParseBack()
    {
        SafeTensorSpec[] specs = [new("é<\"tensor\">\\", SafeTensorsDType.I32, [2, 0])];
        var metadata = new Dictionary<string, string> { ["ключ"] = "line\nbreak" };
        var layout = SafeTensorsHeaderBuilder.Build(specs, metadata, Location);

        var parsed = SafeTensorsHeaderParser.Parse(layout.PrefixAndHeader.Span[8..], 0, Location);

        Assert.Equal("é<\"tensor\">\\", parsed.Tensors.Single().Name);
        Assert.Equal(metadata, parsed.Metadata);
        Assert.Contains("é", HeaderText(layout), StringComparison.Ordinal);
    }

    [Fact]
    public void SameInputInAnyOrderGivesIdenticalBytes()
    {
        SafeTensorSpec[] specs =
        [
            new("layers.1.w", SafeTensorsDType.F32, [4, 2]),
            new("layers.0.w", SafeTensorsDType.F32, [4, 2]),
            new("embed", SafeTensorsDType.BF16, [10, 4]),
        ];
        var metadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };
        var reversedMetadata = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };

        var first = SafeTensorsHeaderBuilder.Build(specs, metadata, Location);
        var second = SafeTensorsHeaderBuilder.Build(specs.Reverse(), reversedMetadata, Location);

        Assert.Equal(first.PrefixAndHeader.ToArray(), second.PrefixAndHeader.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("__metadata__")]
    public void ReservedOrEmptyNameIsRejected(string name)
    {
        var error = Assert.Throws<LoraException>(() =>
            SafeTensorsHeaderBuilder.Build([new SafeTensorSpec(name, SafeTensorsDType.F32, [1])], null, Location));

        Assert.Equal(SafeTensorsErrorCodes.InvalidTensorName, error.Code);
        Assert.Equal(Location, error.Location);
    }

    [Fact]
    public void DuplicateNameIsRejected()
    {
        SafeTensorSpec[] specs = [new("w", SafeTensorsDType.F32, [1]), new("v", SafeTensorsDType.F32, [1]), new("w", SafeTensorsDType.F16, [1])];

        var error = Assert.Throws<LoraException>(() => SafeTensorsHeaderBuilder.Build(specs, null, Location));

        Assert.Equal(SafeTensorsErrorCodes.DuplicateTensorName, error.Code);
        Assert.Contains("'w'", error.Location);
    }

    [Fact]
    public void DataSectionThatOverflowsIsRejected()
    {
        SafeTensorSpec[] specs = [new("a", SafeTensorsDType.U8, [long.MaxValue]), new("b", SafeTensorsDType.U8, [1])];

        var error = Assert.Throws<LoraException>(() => SafeTensorsHeaderBuilder.Build(specs, null, Location));

        Assert.Equal(SafeTensorsErrorCodes.TensorSizeOverflow, error.Code);
    }

    private static string HeaderText(SafeTensorsFileLayout layout) => Encoding.UTF8.GetString(layout.PrefixAndHeader.Span[8..]);
}
