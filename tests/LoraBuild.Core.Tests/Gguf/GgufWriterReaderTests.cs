using System.Buffers.Binary;
using LoraBuild.Core.Gguf;

namespace LoraBuild.Core.Tests.Gguf;

public class GgufWriterReaderTests
{
    private static readonly GgmlType[] s_types = [GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0];

    [Fact]
    public void EveryScalarTypeRoundTrips()
    {
        List<KeyValuePair<string, GgufValue>> metadata =
        [
            Entry("u8", GgufValue.Scalar(GgufValueType.UInt8, (byte)200)),
            Entry("i8", GgufValue.Scalar(GgufValueType.Int8, (sbyte)-100)),
            Entry("u16", GgufValue.Scalar(GgufValueType.UInt16, (ushort)65000)),
            Entry("i16", GgufValue.Scalar(GgufValueType.Int16, (short)-32000)),
            Entry("u32", GgufValue.Of(4_000_000_000u)),
            Entry("i32", GgufValue.Of(-2_000_000_000)),
            Entry("f32", GgufValue.Of(-1.5e-7f)),
            Entry("true", GgufValue.Of(true)),
            Entry("false", GgufValue.Of(false)),
            Entry("string", GgufValue.Of("héllo wörld ✓ 日本 🦙")),
            Entry("empty string", GgufValue.Of(string.Empty)),
            Entry("u64", GgufValue.Of(ulong.MaxValue - 1)),
            Entry("i64", GgufValue.Scalar(GgufValueType.Int64, long.MinValue + 3)),
            Entry("f64", GgufValue.Scalar(GgufValueType.Float64, Math.PI)),
        ];

        var file = RoundTrip(metadata, []);

        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(3u, file.Version);
        Assert.Equal(13, Enum.GetValues<GgufValueType>().Length); // twelve scalar types and the array
        Assert.Equal(
            Enum.GetValues<GgufValueType>().Where(type => type != GgufValueType.Array).Order(),
            file.Metadata.Select(pair => pair.Value.Type).Distinct().Order());
        Assert.IsType<byte>(file.Get("u8").Value);
        Assert.IsType<sbyte>(file.Get("i8").Value);
        Assert.IsType<double>(file.Get("f64").Value);
    }

    [Fact]
    public void ArraysRoundTrip()
    {
        List<KeyValuePair<string, GgufValue>> metadata =
        [
            Entry("strings", GgufValue.Strings(["a", "Ġb", "ünï", string.Empty])),
            Entry("ints", GgufValue.Int32s([1, -2, int.MaxValue, int.MinValue])),
            Entry("floats", GgufValue.Float32s([0.5f, -0.0f, float.PositiveInfinity, 1e-30f])),
            Entry("empty", GgufValue.Array(GgufValueType.UInt8, [])),
            Entry("bools", GgufValue.Array(GgufValueType.Bool, [GgufValue.Of(true), GgufValue.Of(false)])),
            Entry("u64s", GgufValue.Array(GgufValueType.UInt64, [GgufValue.Of(1UL << 40)])),
        ];

        var file = RoundTrip(metadata, []);

        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(["a", "Ġb", "ünï", string.Empty], file.Get("strings").Items.Select(item => item.AsString()));
        Assert.Equal(GgufValueType.Int32, file.Get("ints").ElementType);
        Assert.Empty(file.Get("empty").Items);
        Assert.Equal(GgufValueType.UInt8, file.Get("empty").ElementType);
        Assert.True(float.IsNegative((float)file.Get("floats").Items[1].Value));
    }

    [Fact]
    public void MetadataKeepsItsOrder()
    {
        var keys = new[] { "zeta", "alpha", "general.name", "mid", "b", "a" };
        var metadata = keys.Select((key, i) => Entry(key, GgufValue.Of((uint)i))).ToList();

        var file = RoundTrip(metadata, []);

        Assert.Equal(keys, file.Metadata.Select(pair => pair.Key));
        Assert.Equal([0u, 1u, 2u, 3u, 4u, 5u], file.Metadata.Select(pair => (uint)pair.Value.Value));
    }

    [Fact]
    public void TensorsOfEveryTypeAndRankRoundTrip()
    {
        long[][] shapes = [[64], [3, 32], [2, 3, 32], [2, 1, 3, 32]];
        var random = new Random(5);
        var expected = new List<(GgufTensor Tensor, byte[] Bytes)>();
        foreach (var type in s_types)
        {
            foreach (var shape in shapes)
            {
                var values = Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
                var bytes = GgmlEncoding.Encode(values, type);
                expected.Add((new GgufTensor($"t.{type}.{shape.Length}", shape, type, () => bytes), bytes));
            }
        }

        using var directory = new TempDirectory();
        var path = System.IO.Path.Combine(directory.Path, "model.gguf");
        GgufWriter.Write(path, [Entry("general.architecture", GgufValue.Of("llama"))], expected.Select(pair => pair.Tensor).ToList());
        var file = GgufReader.Read(path);

        Assert.Equal(expected.Select(pair => pair.Tensor.Name), file.Tensors.Select(tensor => tensor.Name));
        foreach (var (tensor, bytes) in expected)
        {
            var info = file.Tensor(tensor.Name);
            Assert.Equal(tensor.Shape, info.Shape);
            Assert.Equal(tensor.Type, info.Type);
            Assert.Equal(bytes.Length, info.ByteCount);
            Assert.Equal(bytes, file.ReadBytes(info));
        }
    }

    [Fact]
    public void TensorDataIsAlignedTo32ByDefault()
    {
        // Odd sizes (12, 6 and 68 bytes) so each tensor needs padding before the next.
        var file = RoundTrip([Entry("k", GgufValue.Of("v"))], [Floats("a", [3], GgmlType.F32), Floats("b", [3], GgmlType.F16), Floats("c", [2, 32], GgmlType.Q8_0)]);

        Assert.Equal(32, file.Alignment);
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal([0L, 32L, 64L], file.Tensors.Select(tensor => tensor.FileOffset - file.DataOffset));
    }

    [Fact]
    public void TensorDataFollowsACustomAlignment()
    {
        var file = RoundTrip(
            [Entry("general.alignment", GgufValue.Of(64u)), Entry("k", GgufValue.Of("v"))],
            [Floats("a", [3], GgmlType.F32), Floats("b", [20], GgmlType.F32), Floats("c", [1], GgmlType.F32)]);

        Assert.Equal(64, file.Alignment);
        Assert.Equal(0, file.DataOffset % 64);
        Assert.Equal([0L, 64L, 192L], file.Tensors.Select(tensor => tensor.FileOffset - file.DataOffset));
        Assert.All(file.Tensors, tensor => Assert.Equal(0, tensor.FileOffset % 64));
    }

    [Fact]
    public void TheSameInputGivesTheSameBytes()
    {
        using var directory = new TempDirectory();
        List<KeyValuePair<string, GgufValue>> metadata = [Entry("a", GgufValue.Of(1.25f)), Entry("s", GgufValue.Strings(["x", "y"]))];
        var first = System.IO.Path.Combine(directory.Path, "first.gguf");
        var second = System.IO.Path.Combine(directory.Path, "second.gguf");

        GgufWriter.Write(first, metadata, [Floats("w", [2, 32], GgmlType.Q8_0), Floats("n", [5], GgmlType.F32)]);
        GgufWriter.Write(second, metadata, [Floats("w", [2, 32], GgmlType.Q8_0), Floats("n", [5], GgmlType.F32)]);

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void TinyFileHasTheExactGgufLayout()
    {
        float[] values = [1, 2, 3, 4, 5, 6];
        var tensor = new GgufTensor("t", [2, 3], GgmlType.F32, () => GgmlEncoding.EncodeF32(values));
        using var stream = new MemoryStream();

        GgufWriter.WriteTo(stream, [Entry("a", GgufValue.Of(7u))], [tensor]);

        byte[] expected =
        [
            (byte)'G', (byte)'G', (byte)'U', (byte)'F',
            3, 0, 0, 0, // version
            1, 0, 0, 0, 0, 0, 0, 0, // tensor count (uint64)
            1, 0, 0, 0, 0, 0, 0, 0, // metadata count (uint64)
            1, 0, 0, 0, 0, 0, 0, 0, (byte)'a', // key: uint64 length, UTF-8
            4, 0, 0, 0, // uint32 type
            7, 0, 0, 0, // value
            1, 0, 0, 0, 0, 0, 0, 0, (byte)'t', // tensor name
            2, 0, 0, 0, // dimensions
            3, 0, 0, 0, 0, 0, 0, 0, // ne[0]: the innermost (last row-major) dimension
            2, 0, 0, 0, 0, 0, 0, 0, // ne[1]
            0, 0, 0, 0, // f32
            0, 0, 0, 0, 0, 0, 0, 0, // offset in the data section
            .. new byte[96 - 82], // header padded to 32
            0, 0, 0x80, 0x3F, 0, 0, 0, 0x40, 0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40, 0, 0, 0xA0, 0x40, 0, 0, 0xC0, 0x40,
            .. new byte[128 - 120], // tensor padded to 32
        ];
        Assert.Equal(expected, stream.ToArray());
    }

    [Fact]
    public void TheReaderGivesTheRowMajorShapeBack()
    {
        var file = RoundTrip([], [Floats("t", [5, 4, 3, 2], GgmlType.F32)]);

        Assert.Equal([5L, 4L, 3L, 2L], file.Tensor("t").Shape);
        Assert.Equal(120, file.Tensor("t").Elements);
    }

    [Fact]
    public void DuplicateKeysAreRejected()
    {
        using var directory = new TempDirectory();
        var path = System.IO.Path.Combine(directory.Path, "x.gguf");

        Assert.Throws<ArgumentException>(() => GgufWriter.Write(path, [Entry("k", GgufValue.Of(1u)), Entry("k", GgufValue.Of(2u))], []));
        Assert.Throws<ArgumentException>(() => GgufWriter.Write(path, [Entry(string.Empty, GgufValue.Of(1u))], []));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void DuplicateTensorNamesAreRejected()
    {
        using var directory = new TempDirectory();
        var path = System.IO.Path.Combine(directory.Path, "x.gguf");

        Assert.Throws<ArgumentException>(() => GgufWriter.Write(path, [], [Floats("w", [2], GgmlType.F32), Floats("w", [3], GgmlType.F32)]));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(new long[0])]
    [InlineData(new long[] { 1, 1, 1, 1, 2 })]
    [InlineData(new long[] { 2, 0 })]
    [InlineData(new long[] { -1 })]
    public void ShapesGgmlCannotHoldAreRejected(long[] shape)
    {
        using var directory = new TempDirectory();
        var path = System.IO.Path.Combine(directory.Path, "x.gguf");
        var tensor = new GgufTensor("w", shape, GgmlType.F32, () => new byte[4]);

        Assert.Throws<ArgumentException>(() => GgufWriter.Write(path, [], [tensor]));
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData(23)]
    [InlineData(25)]
    [InlineData(0)]
    public void TensorDataOfTheWrongSizeLeavesNoFile(int byteCount)
    {
        using var directory = new TempDirectory();
        var path = System.IO.Path.Combine(directory.Path, "x.gguf");
        var good = Floats("good", [4], GgmlType.F32);
        var bad = new GgufTensor("bad", [2, 3], GgmlType.F32, () => new byte[byteCount]);

        Assert.Throws<InvalidOperationException>(() => GgufWriter.Write(path, [Entry("k", GgufValue.Of(1u))], [good, bad]));
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path)); // neither the target nor its temporary file
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFile()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("x.gguf", "previous");
        var bad = new GgufTensor("bad", [2], GgmlType.F32, () => new byte[4]);

        Assert.Throws<InvalidOperationException>(() => GgufWriter.Write(path, [], [bad]));
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(directory.Path));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AnAlignmentTheReaderRefusesIsRejected(int which)
    {
        GgufValue[] alignments = [GgufValue.Of(64), GgufValue.Of(48u), GgufValue.Of(0u), GgufValue.Of("64")];
        using var stream = new MemoryStream();

        Assert.Throws<ArgumentException>(() => GgufWriter.WriteTo(stream, [Entry("general.alignment", alignments[which])], [Floats("t", [3], GgmlType.F32)]));
    }

    [Fact]
    public void DataIsMadeOnlyWhenTheWriterReachesTheTensor()
    {
        var calls = new List<string>();
        var a = new GgufTensor("a", [2], GgmlType.F32, () => { calls.Add("a"); return new byte[8]; });
        var b = new GgufTensor("b", [1], GgmlType.F32, () => { calls.Add("b"); return new byte[4]; });
        using var stream = new MemoryStream();

        GgufWriter.WriteTo(stream, [], [a, b]);

        Assert.Equal(["a", "b"], calls);
        Assert.Equal(2UL, BinaryPrimitives.ReadUInt64LittleEndian(stream.ToArray().AsSpan(8)));
    }

    private static GgufFile RoundTrip(IReadOnlyList<KeyValuePair<string, GgufValue>> metadata, IReadOnlyList<GgufTensor> tensors)
    {
        using var stream = new MemoryStream();
        GgufWriter.WriteTo(stream, metadata, tensors);
        stream.Position = 0;
        return GgufReader.Read(stream, "memory.gguf");
    }

    private static GgufTensor Floats(string name, long[] shape, GgmlType type)
    {
        var values = Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(i => i * 0.25f - 1).ToArray();
        return new GgufTensor(name, shape, type, () => GgmlEncoding.Encode(values, type));
    }

    private static KeyValuePair<string, GgufValue> Entry(string key, GgufValue value) => KeyValuePair.Create(key, value);

    [Fact]
    public void ProgressIsReportedAfterEachTensorWithTheBytesSoFar()
    {
        var reports = new List<GgufWriteProgress>();
        GgufTensor[] tensors =
        [
            new("a", [2, 32], GgmlType.F32, () => new byte[256]),
            new("b", [4], GgmlType.F16, () => new byte[8]),
            new("c", [1, 32], GgmlType.Q8_0, () => new byte[34]),
        ];

        using var stream = new MemoryStream();
        GgufWriter.WriteTo(stream, [], tensors, new ListProgress(reports));

        Assert.Equal(
            [new GgufWriteProgress(1, 3, 256, 298, "a"), new GgufWriteProgress(2, 3, 264, 298, "b"), new GgufWriteProgress(3, 3, 298, 298, "c")],
            reports);
    }

    private sealed class ListProgress(List<GgufWriteProgress> reports) : IProgress<GgufWriteProgress>
    {
        public void Report(GgufWriteProgress value) => reports.Add(value);
    }
}
