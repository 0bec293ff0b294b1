using System.Buffers.Binary;
using System.Text;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Gguf;

/// <summary>
/// Writes a GGUF version 3 file: header, metadata in the given order, tensor descriptions, then the tensors, each
/// aligned to 32 bytes with zero padding. The same input always gives the same bytes; the file is written to a
/// temporary path beside the target and renamed, so a failed write leaves nothing that looks valid.
/// </summary>
public static class GgufWriter
{
    /// <param name="path">The file to write.</param>
    /// <param name="metadata">The keys and values, in the order to write them.</param>
    /// <param name="tensors">The tensors, in the order to write them.</param>
    /// <param name="progress">Told after each tensor is written.</param>
    public static void Write(string path, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata, IReadOnlyList<GgufTensor> tensors, IProgress<GgufWriteProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tensors);
        Validate(metadata, tensors);
        AtomicFile.Write(path, stream => WriteTo(stream, metadata, tensors, progress));
    }

    /// <summary>Writes the file's bytes to <paramref name="stream"/>, from its current position.</summary>
    public static void WriteTo(Stream stream, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata, IReadOnlyList<GgufTensor> tensors, IProgress<GgufWriteProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Validate(metadata, tensors);
        var start = stream.Position;
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(GgufFormat.Magic);
        writer.Write(GgufFormat.Version);
        writer.Write((ulong)tensors.Count);
        writer.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)value.Type);
            WriteValue(writer, value);
        }

        var alignment = Alignment(metadata);
        long offset = 0;
        foreach (var tensor in tensors)
        {
            WriteString(writer, tensor.Name);
            writer.Write((uint)tensor.Shape.Count);
            for (var i = tensor.Shape.Count - 1; i >= 0; i--)
            {
                writer.Write((ulong)tensor.Shape[i]);
            }

            writer.Write((uint)tensor.Type);
            writer.Write((ulong)offset);
            offset = GgufFormat.Align(offset + tensor.ByteCount, alignment);
        }

        writer.Flush();
        Pad(stream, stream.Position - start, alignment);
        var dataStart = stream.Position;
        var totalBytes = tensors.Sum(tensor => tensor.ByteCount);
        long bytesWritten = 0;
        var written = 0;
        foreach (var tensor in tensors)
        {
            var bytes = tensor.Data();
            if (bytes.Length != tensor.ByteCount)
            {
                throw new InvalidOperationException($"Tensor '{tensor.Name}' encoded to {bytes.Length} bytes, but its shape and type need {tensor.ByteCount}.");
            }

            stream.Write(bytes.Span);
            Pad(stream, stream.Position - dataStart, alignment);
            bytesWritten += tensor.ByteCount;
            progress?.Report(new GgufWriteProgress(++written, tensors.Count, bytesWritten, totalBytes, tensor.Name));
        }
    }

    private static void Validate(IReadOnlyList<KeyValuePair<string, GgufValue>> metadata, IReadOnlyList<GgufTensor> tensors)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, _) in metadata)
        {
            if (string.IsNullOrEmpty(key) || !keys.Add(key))
            {
                throw new ArgumentException($"Metadata keys must be unique and not empty: '{key}'.", nameof(metadata));
            }
        }

        if (metadata.FirstOrDefault(pair => pair.Key == GgufFormat.AlignmentKey).Value is { } alignment
            && (alignment.Type != GgufValueType.UInt32 || (uint)alignment.Value is 0 or > GgufFormat.MaxAlignment || !uint.IsPow2((uint)alignment.Value)))
        {
            throw new ArgumentException($"{GgufFormat.AlignmentKey} must be a uint32 power of two up to {GgufFormat.MaxAlignment}.", nameof(metadata));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tensor in tensors)
        {
            if (string.IsNullOrEmpty(tensor.Name) || !names.Add(tensor.Name))
            {
                throw new ArgumentException($"Tensor names must be unique and not empty: '{tensor.Name}'.", nameof(tensors));
            }

            if (tensor.Shape.Count is 0 or > GgufFormat.MaxDimensions || tensor.Shape.Any(dimension => dimension <= 0))
            {
                throw new ArgumentException($"Tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}]; ggml needs 1 to {GgufFormat.MaxDimensions} positive dimensions.", nameof(tensors));
            }
        }
    }

    private static int Alignment(IReadOnlyList<KeyValuePair<string, GgufValue>> metadata)
    {
        var alignment = metadata.FirstOrDefault(pair => pair.Key == GgufFormat.AlignmentKey).Value;
        return alignment is null ? GgufFormat.DefaultAlignment : (int)(uint)alignment.Value;
    }

    private static void Pad(Stream stream, long written, int alignment)
    {
        var padding = (int)(GgufFormat.Align(written, alignment) - written);
        for (var i = 0; i < padding; i++)
        {
            stream.WriteByte(0);
        }
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteValue(BinaryWriter writer, GgufValue value)
    {
        switch (value.Type)
        {
            case GgufValueType.UInt8: writer.Write((byte)value.Value); break;
            case GgufValueType.Int8: writer.Write((sbyte)value.Value); break;
            case GgufValueType.UInt16: writer.Write((ushort)value.Value); break;
            case GgufValueType.Int16: writer.Write((short)value.Value); break;
            case GgufValueType.UInt32: writer.Write((uint)value.Value); break;
            case GgufValueType.Int32: writer.Write((int)value.Value); break;
            case GgufValueType.Float32: writer.Write((float)value.Value); break;
            case GgufValueType.Bool: writer.Write((bool)value.Value ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(writer, (string)value.Value); break;
            case GgufValueType.UInt64: writer.Write((ulong)value.Value); break;
            case GgufValueType.Int64: writer.Write((long)value.Value); break;
            case GgufValueType.Float64: writer.Write((double)value.Value); break;
            case GgufValueType.Array:
                writer.Write((uint)value.ElementType);
                writer.Write((ulong)value.Items.Count);
                foreach (var item in value.Items)
                {
                    WriteValue(writer, item);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value.Type, "Unknown GGUF value type.");
        }
    }
}
