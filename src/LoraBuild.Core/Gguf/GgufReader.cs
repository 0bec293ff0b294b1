using System.Text;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Gguf;

/// <summary>
/// Reads the header of a GGUF file (versions 2 and 3): metadata and tensor descriptions, without the tensor data.
/// Every count and length is checked against the bytes left in the file before anything is allocated, so a damaged
/// or hostile file gives a coded error (LORA2061–LORA2063), never an exception of another kind or a huge allocation.
/// </summary>
public static class GgufReader
{
    public static GgufFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FileStream stream;
        try
        {
            stream = File.OpenRead(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(GgufErrorCodes.FileNotFound, $"The GGUF file cannot be opened: {e.Message}", path, e);
        }

        using (stream)
        {
            return Read(stream, path);
        }
    }

    /// <summary>Reads a GGUF header from a seekable stream; <paramref name="path"/> names it in errors and in the result.</summary>
    public static GgufFile Read(Stream stream, string path)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var reader = new Cursor(stream, path);
        Span<byte> magic = stackalloc byte[4];
        if (stream.Length < 4 || stream.Read(magic) != 4 || !magic.SequenceEqual(GgufFormat.Magic))
        {
            throw new LoraException(GgufErrorCodes.NotGguf, "The file does not start with 'GGUF': it is not a GGUF file.", path);
        }

        var version = reader.UInt32("version");
        if (version is not (2 or 3))
        {
            throw new LoraException(GgufErrorCodes.NotGguf, $"GGUF version {version} is not one this reader knows (2 or 3).", path);
        }

        var tensorCount = reader.Count("tensor count", minimumBytesEach: 8 + 4 + 8 + 4 + 8);
        var metadataCount = reader.Count("metadata count", minimumBytesEach: 8 + 4 + 1);
        var metadata = new List<KeyValuePair<string, GgufValue>>((int)metadataCount);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < metadataCount; i++)
        {
            var key = reader.String($"metadata key {i}");
            if (!keys.Add(key))
            {
                throw reader.Invalid($"metadata key '{key}' appears twice");
            }

            var type = reader.ValueType($"'{key}'");
            metadata.Add(KeyValuePair.Create(key, reader.Value(type, $"'{key}'", nesting: 0)));
        }

        var alignment = GgufFormat.DefaultAlignment;
        if (metadata.FirstOrDefault(pair => pair.Key == GgufFormat.AlignmentKey).Value is { } alignmentValue)
        {
            if (alignmentValue.Type != GgufValueType.UInt32 || (uint)alignmentValue.Value is 0 or > GgufFormat.MaxAlignment || !uint.IsPow2((uint)alignmentValue.Value))
            {
                throw reader.Invalid($"{GgufFormat.AlignmentKey} must be a uint32 power of two up to 2^20");
            }

            alignment = (int)(uint)alignmentValue.Value;
        }

        var described = new List<(string Name, long[] Shape, GgmlType Type, long Offset)>((int)tensorCount);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < tensorCount; i++)
        {
            var name = reader.String($"tensor name {i}");
            if (!names.Add(name))
            {
                throw reader.Invalid($"tensor '{name}' is described twice");
            }

            var dimensions = reader.UInt32($"dimensions of '{name}'");
            if (dimensions is 0 or > GgufFormat.MaxDimensions)
            {
                throw reader.Invalid($"tensor '{name}' has {dimensions} dimensions; ggml allows 1 to {GgufFormat.MaxDimensions}");
            }

            var shape = new long[dimensions];
            for (var d = (int)dimensions - 1; d >= 0; d--)
            {
                var extent = reader.UInt64($"dimension of '{name}'");
                if (extent is 0 or > int.MaxValue)
                {
                    throw reader.Invalid($"tensor '{name}' has a dimension of {extent}");
                }

                shape[d] = (long)extent;
            }

            var typeValue = reader.UInt32($"type of '{name}'");
            if (!GgmlTypes.IsKnown(typeValue))
            {
                throw reader.Invalid($"tensor '{name}' has ggml type {typeValue}, which this reader does not know (f32, f16, bf16, q8_0)");
            }

            var offset = reader.UInt64($"offset of '{name}'");
            if (offset > long.MaxValue)
            {
                throw reader.Invalid($"tensor '{name}' has offset {offset}");
            }

            described.Add((name, shape, (GgmlType)typeValue, (long)offset));
        }

        var dataOffset = GgufFormat.Align(stream.Position, alignment);
        var tensors = new List<GgufTensorInfo>(described.Count);
        long end = 0;
        foreach (var (name, shape, type, offset) in described.OrderBy(entry => entry.Offset))
        {
            long bytes;
            try
            {
                bytes = GgmlTypes.ByteCount(type, shape.Aggregate(1L, (product, extent) => checked(product * extent)), shape[^1]);
            }
            catch (Exception e) when (e is OverflowException or ArgumentException)
            {
                throw new LoraException(GgufErrorCodes.TensorDataInvalid, $"Tensor '{name}' has a shape its type cannot hold: {e.Message}", path, e);
            }

            if (offset % alignment != 0 || offset < end || dataOffset + offset > stream.Length || bytes > stream.Length - dataOffset - offset)
            {
                throw new LoraException(
                    GgufErrorCodes.TensorDataInvalid,
                    $"Tensor '{name}' ({bytes} bytes at data offset {offset}) is unaligned, overlaps another tensor or lies outside the file.",
                    path);
            }

            end = offset + bytes;
            tensors.Add(new GgufTensorInfo(name, shape, type, dataOffset + offset));
        }

        var order = described.Select((entry, index) => (entry.Name, index)).ToDictionary(pair => pair.Name, pair => pair.index, StringComparer.Ordinal);
        tensors.Sort((a, b) => order[a.Name].CompareTo(order[b.Name]));
        return new GgufFile(path, version, metadata, tensors, alignment, dataOffset);
    }

    /// <summary>Reads primitive fields and checks each length against the bytes left.</summary>
    private sealed class Cursor(Stream stream, string path)
    {
        private readonly byte[] _buffer = new byte[8];

        private long Remaining => stream.Length - stream.Position;

        public LoraException Invalid(string what) =>
            new(GgufErrorCodes.HeaderInvalid, $"The GGUF header is invalid at byte {stream.Position}: {what}.", path);

        public uint UInt32(string what) => BitConverter.ToUInt32(Bytes(4, what));

        public ulong UInt64(string what) => BitConverter.ToUInt64(Bytes(8, what));

        public long Count(string what, int minimumBytesEach)
        {
            var count = UInt64(what);
            if (count > (ulong)(Remaining / minimumBytesEach))
            {
                throw Invalid($"{what} {count} cannot fit in the {Remaining} bytes left");
            }

            return (long)count;
        }

        public GgufValueType ValueType(string what)
        {
            var type = UInt32($"value type of {what}");
            return Enum.IsDefined((GgufValueType)type) ? (GgufValueType)type : throw Invalid($"value type {type} of {what} is unknown");
        }

        public string String(string what)
        {
            var length = UInt64($"length of {what}");
            if (length > (ulong)Remaining)
            {
                throw Invalid($"{what} is {length} bytes long, but only {Remaining} bytes are left");
            }

            var bytes = new byte[length];
            stream.ReadExactly(bytes);
            try
            {
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Invalid($"{what} is not valid UTF-8");
            }
        }

        public GgufValue Value(GgufValueType type, string what, int nesting)
        {
            switch (type)
            {
                case GgufValueType.UInt8: return GgufValue.Scalar(type, Bytes(1, what)[0]);
                case GgufValueType.Int8: return GgufValue.Scalar(type, (sbyte)Bytes(1, what)[0]);
                case GgufValueType.UInt16: return GgufValue.Scalar(type, BitConverter.ToUInt16(Bytes(2, what)));
                case GgufValueType.Int16: return GgufValue.Scalar(type, BitConverter.ToInt16(Bytes(2, what)));
                case GgufValueType.UInt32: return GgufValue.Scalar(type, BitConverter.ToUInt32(Bytes(4, what)));
                case GgufValueType.Int32: return GgufValue.Scalar(type, BitConverter.ToInt32(Bytes(4, what)));
                case GgufValueType.Float32: return GgufValue.Scalar(type, BitConverter.ToSingle(Bytes(4, what)));
                case GgufValueType.Bool:
                    var flag = Bytes(1, what)[0];
                    return flag <= 1 ? GgufValue.Scalar(type, flag == 1) : throw Invalid($"{what} is a bool of value {flag}");
                case GgufValueType.String: return GgufValue.Scalar(type, String(what));
                case GgufValueType.UInt64: return GgufValue.Scalar(type, BitConverter.ToUInt64(Bytes(8, what)));
                case GgufValueType.Int64: return GgufValue.Scalar(type, BitConverter.ToInt64(Bytes(8, what)));
                case GgufValueType.Float64: return GgufValue.Scalar(type, BitConverter.ToDouble(Bytes(8, what)));
                case GgufValueType.Array:
                    var elementType = ValueType($"items of {what}");
                    if (elementType == GgufValueType.Array)
                    {
                        // llama.cpp's reader has no arrays of arrays either.
                        throw Invalid($"{what} is an array of arrays");
                    }

                    var count = Count($"item count of {what}", MinimumBytes(elementType));
                    var items = new List<GgufValue>((int)Math.Min(count, 1 << 16));
                    for (long i = 0; i < count; i++)
                    {
                        items.Add(Value(elementType, what, nesting + 1));
                    }

                    return GgufValue.Array(elementType, items);
                default:
                    throw Invalid($"value type {type} of {what} is unknown");
            }
        }

        private static int MinimumBytes(GgufValueType type) => type switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            _ => 8,
        };

        private byte[] Bytes(int count, string what)
        {
            if (Remaining < count)
            {
                throw Invalid($"the file ends inside {what}");
            }

            stream.ReadExactly(_buffer, 0, count);
            return _buffer;
        }
    }
}
