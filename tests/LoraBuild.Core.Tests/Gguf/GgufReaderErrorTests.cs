using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Gguf;

namespace LoraBuild.Core.Tests.Gguf;

public class GgufReaderErrorTests
{
    private const string Location = "bad.gguf";
    private const uint UInt32Type = 4;
    private const uint Int32Type = 5;
    private const uint BoolType = 7;
    private const uint StringType = 8;
    private const uint ArrayType = 9;
    private const uint F32 = 0;
    private const uint Q8 = 8;

    // Each case: the bytes, the code, and a fragment of the message that shows the intended check fired.
    private static readonly Dictionary<string, (Func<GgufBytes> Bytes, string Code, string Message)> s_cases = new()
    {
        ["empty file"] = (() => new GgufBytes(), GgufErrorCodes.NotGguf, "'GGUF'"),
        ["three bytes"] = (() => new GgufBytes().Raw("GGU"u8), GgufErrorCodes.NotGguf, "'GGUF'"),
        ["wrong magic"] = (() => new GgufBytes().Raw("GGML"u8).UInt32(3).UInt64(0).UInt64(0), GgufErrorCodes.NotGguf, "'GGUF'"),
        ["lower-case magic"] = (() => new GgufBytes().Raw("gguf"u8).UInt32(3).UInt64(0).UInt64(0), GgufErrorCodes.NotGguf, "'GGUF'"),
        ["version 1"] = (() => GgufBytes.Header(0, 0, version: 1), GgufErrorCodes.NotGguf, "version 1"),
        ["version 4"] = (() => GgufBytes.Header(0, 0, version: 4), GgufErrorCodes.NotGguf, "version 4"),
        ["big-endian version 3"] = (() => new GgufBytes().Raw("GGUF"u8).Raw([0, 0, 0, 3]).UInt64(0).UInt64(0), GgufErrorCodes.NotGguf, "version 50331648"),

        ["no version"] = (() => new GgufBytes().Raw("GGUF"u8), GgufErrorCodes.HeaderInvalid, "ends inside version"),
        ["half a tensor count"] = (() => new GgufBytes().Raw("GGUF"u8).UInt32(3).UInt32(0), GgufErrorCodes.HeaderInvalid, "ends inside tensor count"),
        ["no metadata count"] = (() => new GgufBytes().Raw("GGUF"u8).UInt32(3).UInt64(0), GgufErrorCodes.HeaderInvalid, "ends inside metadata count"),
        ["tensor count 2^62"] = (() => GgufBytes.Header(1UL << 62, 0).Zeros(64), GgufErrorCodes.HeaderInvalid, "cannot fit"),
        ["metadata count 2^62"] = (() => GgufBytes.Header(0, 1UL << 62).Zeros(64), GgufErrorCodes.HeaderInvalid, "cannot fit"),
        ["metadata count uint64 max"] = (() => GgufBytes.Header(0, ulong.MaxValue), GgufErrorCodes.HeaderInvalid, "cannot fit"),
        ["metadata count one too many"] = (() => GgufBytes.Header(0, 2).Key("k", UInt32Type).UInt32(1), GgufErrorCodes.HeaderInvalid, "cannot fit"),
        ["key longer than the file"] = (() => GgufBytes.Header(0, 1).UInt64(1000).Raw("abcdefgh"u8), GgufErrorCodes.HeaderInvalid, "only 8 bytes are left"),
        ["key length 2^63"] = (() => GgufBytes.Header(0, 1).UInt64(1UL << 63).Zeros(16), GgufErrorCodes.HeaderInvalid, "bytes are left"),
        ["string value longer than the file"] = (() => GgufBytes.Header(0, 1).Key("k", StringType).UInt64(100).Raw("short"u8), GgufErrorCodes.HeaderInvalid, "only 5 bytes are left"),
        ["value cut short"] = (() => GgufBytes.Header(0, 1).Key("k", UInt32Type).Raw([1, 0]), GgufErrorCodes.HeaderInvalid, "ends inside"),
        ["array count 2^62"] = (() => GgufBytes.Header(0, 1).Key("k", ArrayType).UInt32(0).UInt64(1UL << 62).Zeros(64), GgufErrorCodes.HeaderInvalid, "cannot fit"),
        ["string array count 2^62"] = (() => GgufBytes.Header(0, 1).Key("k", ArrayType).UInt32(StringType).UInt64(1UL << 62).Zeros(64), GgufErrorCodes.HeaderInvalid, "cannot fit"),
        ["int32 array one item too long"] = (() => GgufBytes.Header(0, 1).Key("k", ArrayType).UInt32(Int32Type).UInt64(3).UInt32(1).UInt32(2), GgufErrorCodes.HeaderInvalid, "cannot fit"),
        ["string array item cut short"] = (() => GgufBytes.Header(0, 1).Key("k", ArrayType).UInt32(StringType).UInt64(2).String("a").UInt64(5).Raw("b"u8), GgufErrorCodes.HeaderInvalid, "bytes are left"),
        ["value type 13"] = (() => GgufBytes.Header(0, 1).Key("k", 13).UInt32(0), GgufErrorCodes.HeaderInvalid, "value type 13"),
        ["value type uint32 max"] = (() => GgufBytes.Header(0, 1).Key("k", uint.MaxValue).UInt32(0), GgufErrorCodes.HeaderInvalid, $"value type {uint.MaxValue}"),
        ["array item type 13"] = (() => GgufBytes.Header(0, 1).Key("k", ArrayType).UInt32(13).UInt64(0), GgufErrorCodes.HeaderInvalid, "value type 13"),
        ["arrays nested three deep"] = (() => GgufBytes.Header(0, 1).Key("k", ArrayType).UInt32(ArrayType).UInt64(1).UInt32(ArrayType).UInt64(1).UInt32(UInt32Type).UInt64(1).UInt32(7), GgufErrorCodes.HeaderInvalid, "array of arrays"),
        ["duplicate key"] = (() => GgufBytes.Header(0, 2).Key("k", UInt32Type).UInt32(1).Key("k", UInt32Type).UInt32(2), GgufErrorCodes.HeaderInvalid, "appears twice"),
        ["bool of value 2"] = (() => GgufBytes.Header(0, 1).Key("k", BoolType).UInt8(2), GgufErrorCodes.HeaderInvalid, "bool of value 2"),
        ["bool array item 0xFF"] = (() => GgufBytes.Header(0, 1).Key("k", ArrayType).UInt32(BoolType).UInt64(2).UInt8(1).UInt8(0xFF), GgufErrorCodes.HeaderInvalid, "bool of value 255"),
        ["key of invalid UTF-8"] = (() => GgufBytes.Header(0, 1).StringBytes([0x6B, 0xFF]).UInt32(UInt32Type).UInt32(1), GgufErrorCodes.HeaderInvalid, "not valid UTF-8"),
        ["string cut inside a UTF-8 sequence"] = (() => GgufBytes.Header(0, 1).Key("k", StringType).StringBytes([0x61, 0xC3]), GgufErrorCodes.HeaderInvalid, "not valid UTF-8"),
        ["overlong UTF-8"] = (() => GgufBytes.Header(0, 1).Key("k", StringType).StringBytes([0xC0, 0xAF]), GgufErrorCodes.HeaderInvalid, "not valid UTF-8"),
        ["UTF-8 of a surrogate"] = (() => GgufBytes.Header(0, 1).Key("k", StringType).StringBytes([0xED, 0xA0, 0x80]), GgufErrorCodes.HeaderInvalid, "not valid UTF-8"),
        ["alignment as int32"] = (() => GgufBytes.Header(0, 1).Key("general.alignment", Int32Type).UInt32(64), GgufErrorCodes.HeaderInvalid, "general.alignment"),
        ["alignment 48"] = (() => GgufBytes.Header(0, 1).Key("general.alignment", UInt32Type).UInt32(48), GgufErrorCodes.HeaderInvalid, "general.alignment"),
        ["alignment 0"] = (() => GgufBytes.Header(0, 1).Key("general.alignment", UInt32Type).UInt32(0), GgufErrorCodes.HeaderInvalid, "general.alignment"),
        ["alignment 2^21"] = (() => GgufBytes.Header(0, 1).Key("general.alignment", UInt32Type).UInt32(1u << 21), GgufErrorCodes.HeaderInvalid, "general.alignment"),
        ["tensor of 0 dimensions"] = (() => GgufBytes.Header(1, 0).Tensor("t", [], F32, 0).Pad().Zeros(128), GgufErrorCodes.HeaderInvalid, "0 dimensions"),
        ["tensor of 5 dimensions"] = (() => GgufBytes.Header(1, 0).Tensor("t", [1, 1, 1, 1, 1], F32, 0).Pad().Zeros(128), GgufErrorCodes.HeaderInvalid, "5 dimensions"),
        ["tensor of 2^32-1 dimensions"] = (() => GgufBytes.Header(1, 0).String("t").UInt32(uint.MaxValue).Zeros(128), GgufErrorCodes.HeaderInvalid, "dimensions"),
        ["dimension of 0"] = (() => GgufBytes.Header(1, 0).Tensor("t", [4, 0], F32, 0).Pad().Zeros(128), GgufErrorCodes.HeaderInvalid, "dimension of 0"),
        ["dimension of 2^40"] = (() => GgufBytes.Header(1, 0).Tensor("t", [1UL << 40], F32, 0).Pad().Zeros(128), GgufErrorCodes.HeaderInvalid, "dimension of 1099511627776"),
        ["ggml type 2 (q4_1)"] = (() => GgufBytes.Header(1, 0).Tensor("t", [32], 2, 0).Pad().Zeros(128), GgufErrorCodes.HeaderInvalid, "ggml type 2"),
        ["ggml type uint32 max"] = (() => GgufBytes.Header(1, 0).Tensor("t", [32], uint.MaxValue, 0).Pad().Zeros(128), GgufErrorCodes.HeaderInvalid, "ggml type"),
        ["tensor described twice"] = (() => GgufBytes.Header(2, 0).Tensor("t", [8], F32, 0).Tensor("t", [8], F32, 32).Pad().Zeros(64), GgufErrorCodes.HeaderInvalid, "described twice"),
        ["tensor offset 2^63"] = (() => GgufBytes.Header(1, 0).Tensor("t", [8], F32, 1UL << 63).Pad().Zeros(64), GgufErrorCodes.HeaderInvalid, "offset"),
        ["tensor description cut short"] = (() => GgufBytes.Header(1, 0).Tensor("tensor.with.a.long.name", [8], F32, 0).DropLast(4), GgufErrorCodes.HeaderInvalid, "ends inside"),

        ["no data section"] = (() => GgufBytes.Header(1, 0).Tensor("t", [8], F32, 0), GgufErrorCodes.TensorDataInvalid, "Tensor 't'"),
        ["data cut short"] = (() => GgufBytes.Header(1, 0).Tensor("t", [32], F32, 0).Pad().Zeros(127), GgufErrorCodes.TensorDataInvalid, "Tensor 't'"),
        ["offset past the end"] = (() => GgufBytes.Header(1, 0).Tensor("t", [8], F32, 1024).Pad().Zeros(64), GgufErrorCodes.TensorDataInvalid, "Tensor 't'"),
        ["offset near long.MaxValue"] = (() => GgufBytes.Header(1, 0).Tensor("t", [8], F32, 0x7FFF_FFFF_FFFF_FFE0).Pad().Zeros(64), GgufErrorCodes.TensorDataInvalid, "Tensor 't'"),
        ["unaligned offset"] = (() => GgufBytes.Header(1, 0).Tensor("t", [8], F32, 4).Pad().Zeros(128), GgufErrorCodes.TensorDataInvalid, "Tensor 't'"),
        ["offset aligned to 32 where 64 is asked"] = (() => GgufBytes.Header(1, 1).Key("general.alignment", UInt32Type).UInt32(64).Tensor("t", [8], F32, 32).Pad(64).Zeros(128), GgufErrorCodes.TensorDataInvalid, "Tensor 't'"),
        ["overlapping tensors"] = (() => GgufBytes.Header(2, 0).Tensor("a", [16], F32, 0).Tensor("b", [16], F32, 32).Pad().Zeros(256), GgufErrorCodes.TensorDataInvalid, "Tensor 'b'"),
        ["two tensors at one offset"] = (() => GgufBytes.Header(2, 0).Tensor("a", [8], F32, 0).Tensor("b", [8], F32, 0).Pad().Zeros(256), GgufErrorCodes.TensorDataInvalid, "Tensor 'b'"),
        ["overlap listed backwards"] = (() => GgufBytes.Header(2, 0).Tensor("b", [8], F32, 32).Tensor("a", [16], F32, 0).Pad().Zeros(256), GgufErrorCodes.TensorDataInvalid, "Tensor 'b'"),
        ["q8_0 rows of 16"] = (() => GgufBytes.Header(1, 0).Tensor("t", [16, 2], Q8, 0).Pad().Zeros(256), GgufErrorCodes.TensorDataInvalid, "cannot hold"),
        ["element count overflows"] = (() => GgufBytes.Header(1, 0).Tensor("t", [int.MaxValue, int.MaxValue, int.MaxValue], F32, 0).Pad().Zeros(64), GgufErrorCodes.TensorDataInvalid, "cannot hold"),
    };

    public static TheoryData<string> Cases => [.. s_cases.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedInputGivesItsCode(string name)
    {
        var (bytes, code, message) = s_cases[name];

        var exception = Assert.Throws<LoraException>(() => Read(bytes().ToArray()));

        Assert.Equal(code, exception.Code);
        Assert.Equal(Location, exception.Location);
        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ArraysOfArraysGiveACodedError()
    {
        // gguf.h allows array items of type array; this reader keeps GgufValue flat, so it must refuse them with a code.
        var bytes = GgufBytes.Header(0, 1).Key("k", ArrayType).UInt32(ArrayType).UInt64(1).UInt32(UInt32Type).UInt64(1).UInt32(7).ToArray();

        var exception = Record.Exception(() => Read(bytes));

        var lora = Assert.IsType<LoraException>(exception);
        Assert.Equal(GgufErrorCodes.HeaderInvalid, lora.Code);
    }

    [Fact]
    public void TheHandBuiltFilesAreValidWithoutTheirFault()
    {
        // The controls the cases above break: each is read without error.
        var tensors = Read(GgufBytes.Header(2, 1).Key("general.alignment", UInt32Type).UInt32(64)
            .Tensor("b", [8], F32, 64).Tensor("a", [16], F32, 0).Pad(64).Zeros(128).ToArray());
        var strings = Read(GgufBytes.Header(0, 2).Key("k", ArrayType).UInt32(StringType).UInt64(2).String("a").String("é")
            .Key("b", ArrayType).UInt32(BoolType).UInt64(2).UInt8(1).UInt8(0).ToArray());
        var version2 = Read(GgufBytes.Header(0, 0, version: 2).ToArray());

        Assert.Equal(["b", "a"], tensors.Tensors.Select(tensor => tensor.Name));
        Assert.Equal([128L + 64, 128L], tensors.Tensors.Select(tensor => tensor.FileOffset));
        Assert.Equal([8L], tensors.Tensors[0].Shape);
        Assert.Equal(["a", "é"], strings.Get("k").Items.Select(item => item.AsString()));
        Assert.Equal(2u, version2.Version);
    }

    [Fact]
    public void EveryTruncationOfAValidFileGivesACodedError()
    {
        var bytes = ValidFile();
        const int HeaderEnd = 210; // 24 + 45 + 14 + 35 + 17 of metadata, 41 + 34 of tensor descriptions
        const int DataOffset = 224;
        const int LastTensorEnd = DataOffset + 128 + 12;
        Assert.Equal(384, bytes.Length);
        Assert.Equal(DataOffset, Read(bytes).DataOffset);
        Assert.Equal(DataOffset, Read(bytes[..LastTensorEnd]).DataOffset);

        for (var length = 0; length < LastTensorEnd; length++)
        {
            var truncated = bytes[..length];

            var exception = Record.Exception(() => Read(truncated));

            var lora = Assert.IsType<LoraException>(exception);
            var expected = length < 4 ? GgufErrorCodes.NotGguf : length < HeaderEnd ? GgufErrorCodes.HeaderInvalid : GgufErrorCodes.TensorDataInvalid;
            Assert.True(expected == lora.Code, $"Cut at {length} bytes: {lora.Code} ({lora.Message}), expected {expected}.");
        }
    }

    [Fact]
    public void DamagedHeaderBytesGiveACodedErrorOrAFile()
    {
        var bytes = ValidFile();
        byte[] damages = [0x00, 0x01, 0x02, 0x07, 0x08, 0x09, 0x0D, 0x1F, 0x40, 0x7F, 0x80, 0xC3, 0xFF];
        for (var position = 0; position < 210; position++)
        {
            foreach (var damage in damages)
            {
                var damaged = (byte[])bytes.Clone();
                damaged[position] = damage;

                var exception = Record.Exception(() => Read(damaged));

                Assert.True(exception is null or LoraException, $"Byte {position} set to {damage:X2}: {exception}");
            }
        }
    }

    [Fact]
    public void AMissingFileGivesFileNotFound()
    {
        using var directory = new TempDirectory();
        var path = System.IO.Path.Combine(directory.Path, "missing.gguf");

        var exception = Assert.Throws<LoraException>(() => GgufReader.Read(path));

        Assert.Equal(GgufErrorCodes.FileNotFound, exception.Code);
        Assert.Equal(path, exception.Location);
    }

    [Fact]
    public void AFileOnDiskIsCheckedAsAStreamIs()
    {
        using var directory = new TempDirectory();
        var path = System.IO.Path.Combine(directory.Path, "cut.gguf");
        File.WriteAllBytes(path, ValidFile()[..300]);

        var exception = Assert.Throws<LoraException>(() => GgufReader.Read(path));

        Assert.Equal(GgufErrorCodes.TensorDataInvalid, exception.Code);
        Assert.Equal(path, exception.Location);
    }

    private static GgufFile Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        return GgufReader.Read(stream, Location);
    }

    /// <summary>A 384-byte file: four metadata values (string, bool, int32 array, float32) and two tensors (f16 [2, 32], f32 [3]).</summary>
    private static byte[] ValidFile()
    {
        var w = new float[64];
        using var stream = new MemoryStream();
        GgufWriter.WriteTo(
            stream,
            [
                KeyValuePair.Create("general.architecture", GgufValue.Of("llama")),
                KeyValuePair.Create("b", GgufValue.Of(true)),
                KeyValuePair.Create("arr", GgufValue.Int32s([1, 2])),
                KeyValuePair.Create("f", GgufValue.Of(0.5f)),
            ],
            [
                new GgufTensor("w", [2, 32], GgmlType.F16, () => GgmlEncoding.EncodeF16(w)),
                new GgufTensor("v1", [3], GgmlType.F32, () => GgmlEncoding.EncodeF32([1f, 2f, 3f])),
            ]);
        return stream.ToArray();
    }
}
