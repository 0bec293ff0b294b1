using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.SafeTensors;
using Codes = LoraBuild.Engine.SafeTensors.SafeTensorsErrorCodes;

namespace LoraBuild.Engine.Tests.SafeTensors;

/// <summary>Header validation on hand-made files; none of these tests needs libtorch.</summary>
public sealed class SafeTensorsHeaderReaderTests : IDisposable
{
    private const string F32x2 = """{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void FileShorterThanPrefixIsRejected(int length)
    {
        AssertRejected(Codes.FileTooSmall, new byte[length]);
    }

    [Fact]
    public void HeaderLongerThanLimitIsRejected()
    {
        AssertRejected(Codes.HeaderTooLarge, SafeTensorsBytes.Assemble(100_000_001UL, "{}"u8.ToArray()));
    }

    [Fact]
    public void HeaderLengthNearUInt64MaxIsRejectedWithoutOverflow()
    {
        AssertRejected(Codes.HeaderTooLarge, SafeTensorsBytes.Assemble(ulong.MaxValue, "{}"u8.ToArray()));
    }

    [Fact]
    public void HeaderLengthPastEndOfFileIsRejected()
    {
        AssertRejected(Codes.HeaderExceedsFile, SafeTensorsBytes.Assemble(100UL, new byte[50]));
    }

    [Fact]
    public void HeaderExactlyAtLimitIsNotRejectedForItsLength()
    {
        // 100 MB of header is allowed; this one is that long but only spaces after '{}'.
        var header = new byte[SafeTensorsHeaderParser.MaxHeaderLength];
        Array.Fill(header, (byte)' ');
        header[0] = (byte)'{';
        header[1] = (byte)'}';

        var parsed = SafeTensorsHeaderParser.Parse(header, 0, "mem");

        Assert.Empty(parsed.Tensors);
    }

    [Fact]
    public void HeaderThatIsNotUtf8IsRejected()
    {
        byte[] header = [.. "{\"a"u8, 0xFF, .. "\":{}}"u8];
        AssertRejected(Codes.HeaderNotUtf8, SafeTensorsBytes.Assemble(header));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData(" {}")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void HeaderThatIsNotAnObjectIsRejected(string header)
    {
        AssertRejected(Codes.HeaderNotJsonObject, SafeTensorsBytes.Assemble(header));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{\"a\":")]
    [InlineData("{}x")]
    [InlineData("{}{}")]
    [InlineData("{\"__metadata__\":{},}")]
    [InlineData("{/* c */}")]
    [InlineData("{'a':1}")]
    [InlineData("{\"\\uD800\":{}}")]
    public void MalformedJsonIsRejected(string header)
    {
        AssertRejected(Codes.HeaderMalformedJson, SafeTensorsBytes.Assemble(header));
    }

    [Theory]
    [InlineData("""{"__metadata__":{"a":1}}""")]
    [InlineData("""{"__metadata__":{"a":null}}""")]
    [InlineData("""{"__metadata__":{"a":{"b":"c"}}}""")]
    [InlineData("""{"__metadata__":["a"]}""")]
    [InlineData("""{"__metadata__":"a"}""")]
    [InlineData("""{"__metadata__":{"a":"1","a":"2"}}""")]
    [InlineData("""{"__metadata__":{},"__metadata__":{}}""")]
    public void MetadataThatIsNotAStringMapIsRejected(string header)
    {
        AssertRejected(Codes.MetadataInvalid, SafeTensorsBytes.Assemble(header));
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"w":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}""")]
    [InlineData("""{"w":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"\u0077":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}""")]
    public void DuplicateTensorNameIsRejected(string header)
    {
        AssertRejected(Codes.DuplicateTensorName, SafeTensorsBytes.Assemble(header), tensor: "w");
    }

    [Theory]
    [InlineData("""{"w":[]}""")]
    [InlineData("""{"w":"F32"}""")]
    [InlineData("""{"w":null}""")]
    [InlineData("""{"w":{"shape":[2],"data_offsets":[0,8]}}""")]
    [InlineData("""{"w":{"dtype":"F32","data_offsets":[0,8]}}""")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2]}}""")]
    [InlineData("""{"w":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}""")]
    [InlineData("""{"w":{"dtype":4,"shape":[2],"data_offsets":[0,8]}}""")]
    public void MalformedTensorEntryIsRejected(string header)
    {
        AssertRejected(Codes.TensorEntryMalformed, SafeTensorsBytes.Assemble(header, new byte[8]), tensor: "w");
    }

    [Theory]
    [InlineData("F128")]
    [InlineData("f32")]
    [InlineData("")]
    [InlineData("F4")]
    public void UnknownDTypeIsRejected(string dtype)
    {
        var header = $$$"""{"w":{"dtype":"{{{dtype}}}","shape":[2],"data_offsets":[0,8]}}""";
        AssertRejected(Codes.UnknownDType, SafeTensorsBytes.Assemble(header, new byte[8]), tensor: "w");
    }

    [Theory]
    [InlineData("[-1]")]
    [InlineData("[1.5]")]
    [InlineData("[2.0]")]
    [InlineData("[1e3]")]
    [InlineData("[\"2\"]")]
    [InlineData("[[2]]")]
    [InlineData("[null]")]
    [InlineData("2")]
    [InlineData("{}")]
    [InlineData("[9223372036854775808]")]
    public void InvalidShapeIsRejected(string shape)
    {
        var header = $$$"""{"w":{"dtype":"F32","shape":{{{shape}}},"data_offsets":[0,8]}}""";
        AssertRejected(Codes.InvalidShape, SafeTensorsBytes.Assemble(header, new byte[8]), tensor: "w");
    }

    [Theory]
    [InlineData("[0]")]
    [InlineData("[]")]
    [InlineData("[0,8,8]")]
    [InlineData("[-1,7]")]
    [InlineData("[0,8.0]")]
    [InlineData("[\"0\",\"8\"]")]
    [InlineData("\"0,8\"")]
    [InlineData("{\"begin\":0,\"end\":8}")]
    [InlineData("[0,18446744073709551615]")]
    public void InvalidDataOffsetsAreRejected(string offsets)
    {
        var header = $$$"""{"w":{"dtype":"F32","shape":[2],"data_offsets":{{{offsets}}}}}""";
        AssertRejected(Codes.InvalidDataOffsets, SafeTensorsBytes.Assemble(header, new byte[8]), tensor: "w");
    }

    [Fact]
    public void ReversedDataOffsetsAreRejected()
    {
        var header = """{"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}""";
        AssertRejected(Codes.DataOffsetsReversed, SafeTensorsBytes.Assemble(header, new byte[8]), tensor: "w");
    }

    [Theory]
    [InlineData("[4611686018427387904,4]")]
    [InlineData("[9223372036854775807,2]")]
    [InlineData("[2305843009213693952]")]
    public void ByteSizeOverflowIsRejected(string shape)
    {
        var header = $$$"""{"w":{"dtype":"F32","shape":{{{shape}}},"data_offsets":[0,8]}}""";
        AssertRejected(Codes.TensorSizeOverflow, SafeTensorsBytes.Assemble(header, new byte[8]), tensor: "w");
    }

    [Theory]
    [InlineData("F32", "[2]", "[0,4]")]
    [InlineData("F32", "[3]", "[0,8]")]
    [InlineData("BF16", "[2]", "[0,8]")]
    [InlineData("F32", "[]", "[0,0]")]
    [InlineData("F32", "[0]", "[0,4]")]
    public void ByteSizeThatDoesNotMatchShapeIsRejected(string dtype, string shape, string offsets)
    {
        var header = $$$"""{"w":{"dtype":"{{{dtype}}}","shape":{{{shape}}},"data_offsets":{{{offsets}}}}}""";
        AssertRejected(Codes.TensorSizeMismatch, SafeTensorsBytes.Assemble(header, new byte[8]), tensor: "w");
    }

    [Fact]
    public void FirstTensorNotAtZeroIsAGap()
    {
        var header = """{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""";
        AssertRejected(Codes.DataOffsetsGap, SafeTensorsBytes.Assemble(header, new byte[8]), tensor: "w");
    }

    [Fact]
    public void GapBetweenTensorsIsRejected()
    {
        var header = """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""";
        AssertRejected(Codes.DataOffsetsGap, SafeTensorsBytes.Assemble(header, new byte[12]), tensor: "b");
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8)]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8)]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}}""", 8)]
    public void OverlappingTensorsAreRejected(string header, int dataLength)
    {
        AssertRejected(Codes.DataOffsetsOverlap, SafeTensorsBytes.Assemble(header, new byte[dataLength]), tensor: "b");
    }

    [Fact]
    public void TensorPastEndOfFileIsRejected()
    {
        AssertRejected(Codes.DataExceedsFile, SafeTensorsBytes.Assemble("{\"w\":" + F32x2 + "}", new byte[7]), tensor: "w");
    }

    [Fact]
    public void BytesAfterLastTensorAreRejected()
    {
        AssertRejected(Codes.TrailingData, SafeTensorsBytes.Assemble("{\"w\":" + F32x2 + "}", new byte[9]));
    }

    [Fact]
    public void DataWithoutAnyTensorIsRejected()
    {
        AssertRejected(Codes.TrailingData, SafeTensorsBytes.Assemble("{}", new byte[1]));
    }

    [Fact]
    public void MissingFileIsReported()
    {
        var path = _temp.File("absent.safetensors");

        var error = Assert.Throws<LoraException>(() => SafeTensorsHeaderReader.Read(path));

        Assert.Equal(Codes.FileNotFound, error.Code);
        Assert.Equal(path, error.Location);
    }

    [Fact]
    public void ValidHeaderListsTensorsSortedByNameWithMetadata()
    {
        var header = """
            {"z":{"dtype":"BF16","shape":[2,1],"data_offsets":[0,4]},
             "__metadata__":{"format":"pt","note":"h\u00e9"},
             "a":{"shape":[],"dtype":"I64","data_offsets":[4,12],"extra":{"ignored":[1,2]}},
             "e":{"dtype":"BOOL","shape":[0,3],"data_offsets":[12,12]}}
            """;

        var parsed = Read(SafeTensorsBytes.Assemble(header + "   ", new byte[12]));

        Assert.Equal(["a", "e", "z"], parsed.Tensors.Select(t => t.Name));
        var z = parsed.Tensors[2];
        Assert.Equal(SafeTensorsDType.BF16, z.DType);
        Assert.Equal([2L, 1L], z.Shape);
        Assert.Equal((0L, 4L), (z.DataBegin, z.DataEnd));
        Assert.Equal(2, z.ElementCount);
        var scalar = parsed.Tensors[0];
        Assert.Empty(scalar.Shape);
        Assert.Equal(1, scalar.ElementCount);
        Assert.Equal(8, scalar.ByteLength);
        Assert.Equal(0, parsed.Tensors[1].ElementCount);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt", ["note"] = "hé" }, parsed.Metadata);
        Assert.Equal(8 + parsed.HeaderLength, parsed.DataStart);
    }

    [Fact]
    public void EmptyHeaderAndNullMetadataAreValid()
    {
        Assert.Empty(Read(SafeTensorsBytes.Assemble("{}")).Tensors);
        Assert.Empty(Read(SafeTensorsBytes.Assemble("""{"__metadata__":null}""")).Metadata);
    }

    [Fact]
    public void SeveralEmptyTensorsMayShareAnOffset()
    {
        var header = """{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F16","shape":[2,0],"data_offsets":[0,0]},"c":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""";

        var parsed = Read(SafeTensorsBytes.Assemble(header, new byte[1]));

        Assert.Equal(3, parsed.Tensors.Count);
    }

    [Theory]
    [InlineData("BOOL", 1)]
    [InlineData("U8", 1)]
    [InlineData("I8", 1)]
    [InlineData("F8_E5M2", 1)]
    [InlineData("F8_E4M3", 1)]
    [InlineData("I16", 2)]
    [InlineData("U16", 2)]
    [InlineData("F16", 2)]
    [InlineData("BF16", 2)]
    [InlineData("I32", 4)]
    [InlineData("U32", 4)]
    [InlineData("F32", 4)]
    [InlineData("C64", 8)]
    [InlineData("F64", 8)]
    [InlineData("I64", 8)]
    [InlineData("U64", 8)]
    public void EveryKnownDTypeParsesWithItsSize(string name, int size)
    {
        var header = $$$"""{"w":{"dtype":"{{{name}}}","shape":[3],"data_offsets":[0,{{{3 * size}}}]}}""";

        var info = Read(SafeTensorsBytes.Assemble(header, new byte[3 * size])).Tensors.Single();

        Assert.Equal(name, info.DType.HeaderName());
        Assert.Equal(size, info.DType.ElementSize());
    }

    private SafeTensorsHeader Read(byte[] file)
    {
        var path = _temp.File($"{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, file);
        return SafeTensorsHeaderReader.Read(path);
    }

    private void AssertRejected(string code, byte[] file, string? tensor = null)
    {
        var path = _temp.File($"{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, file);

        var error = Assert.Throws<LoraException>(() => SafeTensorsHeaderReader.Read(path));

        Assert.Equal(code, error.Code);
        Assert.NotNull(error.Location);
        Assert.StartsWith(path, error.Location);
        if (tensor is not null)
        {
            Assert.Contains($"'{tensor}'", error.Location);
        }
    }
}
