using System.Buffers.Binary;
using System.Text;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Engine.SafeTensors;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Tests.SafeTensors;

public sealed class SafeTensorsRoundTripTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Int64)]
    [InlineData(ScalarType.Int32)]
    [InlineData(ScalarType.Int16)]
    [InlineData(ScalarType.Int8)]
    [InlineData(ScalarType.Byte)]
    [InlineData(ScalarType.Bool)]
    public void RoundTripIsBitwiseExact(ScalarType type)
    {
        using var scope = NewDisposeScope();
        long[] shape = [3, 5, 2];
        var bytes = TensorBytes.Pattern(type, 30, seed: (int)type);
        var path = _temp.File("t.safetensors");

        SafeTensorsWriter.Write(path, [KeyValuePair.Create("w", TensorBytes.Create(type, shape, bytes))]);
        using var reader = SafeTensorsReader.Open(path);
        var loaded = reader.LoadTensor("w");

        Assert.Equal(type, loaded.dtype);
        Assert.Equal(shape, loaded.shape);
        Assert.Equal(bytes, TensorBytes.Of(loaded));
    }

    [Fact]
    public void WritingTheSameTensorsTwiceGivesIdenticalFilesWithPaddedHeader()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["model.layers.1.mlp.up_proj.weight"] = randn(8, 4).to(ScalarType.BFloat16),
            ["model.embed_tokens.weight"] = randn(16, 4),
            ["model.norm.weight"] = ones(4, dtype: ScalarType.Float16),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };

        SafeTensorsWriter.Write(_temp.File("a.safetensors"), tensors, metadata);
        SafeTensorsWriter.Write(_temp.File("b.safetensors"), tensors.Reverse(), metadata);

        var first = File.ReadAllBytes(_temp.File("a.safetensors"));
        Assert.Equal(first, File.ReadAllBytes(_temp.File("b.safetensors")));
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(first);
        Assert.Equal(0, headerLength % 8);
        var header = Encoding.UTF8.GetString(first, 8, headerLength);
        Assert.Equal(header.TrimEnd(' ').Length, header.LastIndexOf('}') + 1);
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [Fact]
    public void LoadsAFileAssembledByHand()
    {
        // F32 [2,2] = 1,2,3,4; BF16 [3] = 1,-2,0.5; F16 [3] = 1,-2,0.5; I64 scalar = -7; U8 [0].
        var header = """
            {"__metadata__":{"format":"pt"},
            "f32":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},
            "bf16":{"dtype":"BF16","shape":[3],"data_offsets":[16,22]},
            "f16":{"dtype":"F16","shape":[3],"data_offsets":[22,28]},
            "i64":{"dtype":"I64","shape":[],"data_offsets":[28,36]},
            "empty":{"dtype":"U8","shape":[0],"data_offsets":[36,36]}}
            """;
        var i64 = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(i64, -7);
        byte[] data =
        [
            .. SafeTensorsBytes.Floats(1, 2, 3, 4),
            .. SafeTensorsBytes.UInt16s(0x3F80, 0xC000, 0x3F00),
            .. SafeTensorsBytes.UInt16s(0x3C00, 0xC000, 0x3800),
            .. i64,
        ];
        var path = _temp.File("hand.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Assemble(header + "      ", data));

        using var scope = NewDisposeScope();
        using var reader = SafeTensorsReader.Open(path);
        var all = reader.LoadTensors();

        Assert.Equal("pt", reader.Metadata["format"]);
        Assert.Equal([1f, 2f, 3f, 4f], all["f32"].data<float>().ToArray());
        Assert.Equal([2L, 2L], all["f32"].shape);
        Assert.Equal(ScalarType.BFloat16, all["bf16"].dtype);
        Assert.Equal([1f, -2f, 0.5f], all["bf16"].to(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(ScalarType.Float16, all["f16"].dtype);
        Assert.Equal([1f, -2f, 0.5f], all["f16"].to(ScalarType.Float32).data<float>().ToArray());
        Assert.Empty(all["i64"].shape);
        Assert.Equal(-7L, all["i64"].item<long>());
        Assert.Equal([0L], all["empty"].shape);
        Assert.Equal(ScalarType.Byte, all["empty"].dtype);
    }

    [Fact]
    public void MetadataRoundTrips()
    {
        using var scope = NewDisposeScope();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["lorabuild.fingerprint"] = "abc123", ["empty"] = "", ["unicode"] = "ü" };
        var path = _temp.File("m.safetensors");

        SafeTensorsWriter.Write(path, [KeyValuePair.Create("w", zeros(2))], metadata);

        Assert.Equal(metadata, SafeTensorsHeaderReader.Read(path).Metadata);
        using var reader = SafeTensorsReader.Open(path);
        Assert.Equal(metadata, reader.Metadata);
    }

    [Fact]
    public void ZeroElementTensorsAndScalarsRoundTrip()
    {
        using var scope = NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["empty"] = zeros(0),
            ["empty2d"] = zeros([3, 0], dtype: ScalarType.BFloat16),
            ["scalar"] = tensor(2.5f),
            ["scalar_i"] = tensor(42L),
        };
        var path = _temp.File("z.safetensors");

        SafeTensorsWriter.Write(path, tensors);
        using var reader = SafeTensorsReader.Open(path);
        var loaded = reader.LoadTensors();

        Assert.Equal([0L], loaded["empty"].shape);
        Assert.Equal([3L, 0L], loaded["empty2d"].shape);
        Assert.Equal(ScalarType.BFloat16, loaded["empty2d"].dtype);
        Assert.Empty(loaded["scalar"].shape);
        Assert.Equal(2.5f, loaded["scalar"].item<float>());
        Assert.Equal(42L, loaded["scalar_i"].item<long>());
        Assert.Equal(4 + 8, reader.Tensors.Sum(t => t.ByteLength));
    }

    [Fact]
    public void NonContiguousTensorIsWrittenInLogicalOrder()
    {
        using var scope = NewDisposeScope();
        var transposed = arange(6, dtype: ScalarType.Float32).reshape(2, 3).t();
        var path = _temp.File("t.safetensors");

        SafeTensorsWriter.Write(path, [KeyValuePair.Create("w", transposed)]);
        using var reader = SafeTensorsReader.Open(path);

        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], reader.LoadTensor("w").data<float>().ToArray());
    }

    [Fact]
    public void ListingReadsNoDataAndLoadingHonoursFilterAndType()
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("f.safetensors");
        SafeTensorsWriter.Write(path, new Dictionary<string, Tensor>
        {
            ["a.weight"] = full(2, 3, 1.5f).to(ScalarType.BFloat16),
            ["a.bias"] = full(3, 0.25f).to(ScalarType.BFloat16),
            ["b.weight"] = ones(4),
        });

        using var reader = SafeTensorsReader.Open(path);
        Assert.Equal(["a.bias", "a.weight", "b.weight"], reader.Tensors.Select(t => t.Name));
        Assert.Equal(SafeTensorsDType.BF16, reader.Tensors[1].DType);
        Assert.Equal([2L, 3L], reader.Tensors[1].Shape);

        var loaded = reader.LoadTensors(info => info.Name.StartsWith("a.", StringComparison.Ordinal), ScalarType.Float32, CPU);

        Assert.Equal(["a.bias", "a.weight"], loaded.Keys.Order(StringComparer.Ordinal));
        Assert.All(loaded.Values, t => Assert.Equal(ScalarType.Float32, t.dtype));
        Assert.Equal(Enumerable.Repeat(1.5f, 6), loaded["a.weight"].data<float>().ToArray());
    }

    [Fact]
    public void UnknownTensorNameIsReported()
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("u.safetensors");
        SafeTensorsWriter.Write(path, [KeyValuePair.Create("w", ones(1))]);
        using var reader = SafeTensorsReader.Open(path);

        var error = Assert.Throws<LoraException>(() => reader.LoadTensor("v"));

        Assert.Equal(SafeTensorsErrorCodes.TensorNotFound, error.Code);
        Assert.Contains(path, error.Location);
        Assert.Contains("'v'", error.Location);
    }

    [Fact]
    public void DTypeWithoutTorchTypeIsListedButNotLoaded()
    {
        var header = """{"u":{"dtype":"U16","shape":[2],"data_offsets":[0,4]},"f":{"dtype":"F32","shape":[],"data_offsets":[4,8]}}""";
        var path = _temp.File("u16.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Assemble(header, [1, 0, 2, 0, .. SafeTensorsBytes.Floats(3)]));
        using var scope = NewDisposeScope();
        using var reader = SafeTensorsReader.Open(path);

        var error = Assert.Throws<LoraException>(() => reader.LoadTensor("u"));

        Assert.Equal(SafeTensorsErrorCodes.DTypeNotSupported, error.Code);
        Assert.Equal(3f, reader.LoadTensor("f").item<float>());
        Assert.Equal(SafeTensorsErrorCodes.DTypeNotSupported, Assert.Throws<LoraException>(() => reader.LoadTensors()).Code);
    }

    [Fact]
    public void TensorTypeWithoutSafetensorsNameIsRejectedAndNothingIsWritten()
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("c.safetensors");

        var error = Assert.Throws<LoraException>(() =>
            SafeTensorsWriter.Write(path, [KeyValuePair.Create("c", zeros(2, dtype: ScalarType.ComplexFloat64))]));

        Assert.Equal(SafeTensorsErrorCodes.DTypeNotSupported, error.Code);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void DuplicateNamesInInputAreRejected()
    {
        using var scope = NewDisposeScope();

        var error = Assert.Throws<LoraException>(() => SafeTensorsWriter.Write(
            _temp.File("d.safetensors"),
            [KeyValuePair.Create("w", ones(1)), KeyValuePair.Create("w", zeros(1))]));

        Assert.Equal(SafeTensorsErrorCodes.DuplicateTensorName, error.Code);
    }

    [Fact]
    public void WriteReplacesAnExistingFileAndAFailedWriteLeavesNoTemporaryFile()
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("r.safetensors");
        SafeTensorsWriter.Write(path, [KeyValuePair.Create("old", ones(1))]);
        SafeTensorsWriter.Write(path, [KeyValuePair.Create("new", ones(1))]);
        Assert.Equal(["new"], SafeTensorsHeaderReader.Read(path).Tensors.Select(t => t.Name));

        // The rename onto a directory fails after all bytes were written.
        var blocked = _temp.File("blocked.safetensors");
        Directory.CreateDirectory(blocked);
        Assert.ThrowsAny<IOException>(() => SafeTensorsWriter.Write(blocked, [KeyValuePair.Create("w", ones(1))]));

        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
        Assert.Empty(Directory.GetFileSystemEntries(blocked));
    }

    [Fact]
    public void LoadingAfterDisposeThrows()
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("x.safetensors");
        SafeTensorsWriter.Write(path, [KeyValuePair.Create("w", ones(1))]);
        var reader = SafeTensorsReader.Open(path);
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.LoadTensor("w"));
    }

    [Fact]
    public void FileTruncatedAfterOpeningIsAReadFailure()
    {
        using var scope = NewDisposeScope();
        var path = _temp.File("trunc.safetensors");
        SafeTensorsWriter.Write(path, [KeyValuePair.Create("w", ones(64))]);
        using var reader = SafeTensorsReader.Open(path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            stream.SetLength(reader.Header.DataStart + 10);
        }

        var error = Assert.Throws<LoraException>(() => reader.LoadTensor("w"));

        Assert.Equal(SafeTensorsErrorCodes.ReadFailed, error.Code);
        Assert.Contains("'w'", error.Location);
    }

    [Fact]
    public void ModelDirectoryWithSingleFileOpens()
    {
        using var scope = NewDisposeScope();
        SafeTensorsWriter.Write(_temp.File(SafeTensorsModel.SingleFileName), [KeyValuePair.Create("w", ones(2))]);

        using var reader = SafeTensorsModel.Open(_temp.Path);

        Assert.IsType<SafeTensorsReader>(reader);
        Assert.Equal([1f, 1f], reader.LoadTensor("w").data<float>().ToArray());
    }
}
