using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// Lays out a safetensors file deterministically, without libtorch: tensors in ordinal order of names, data packed
/// in that order, header JSON compact with every object's keys in ordinal order, padded with spaces so the data
/// starts at a multiple of 8 bytes.
/// </summary>
public static class SafeTensorsHeaderBuilder
{
    private const int Alignment = 8;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = false,
        // Names and metadata are written as UTF-8, escaping only what JSON requires.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Plans the file for <paramref name="tensors"/> and optional <paramref name="metadata"/>.</summary>
    /// <param name="tensors">The tensors, in any order.</param>
    /// <param name="metadata">The <c>__metadata__</c> map; null or empty writes none.</param>
    /// <param name="location">The file being written, for error messages.</param>
    /// <exception cref="LoraException">A name is empty or reserved (LORA2029) or repeated (LORA2008), a size overflows (LORA2014), or the header would exceed 100 MB (LORA2002).</exception>
    public static SafeTensorsFileLayout Build(
        IEnumerable<SafeTensorSpec> tensors,
        IReadOnlyDictionary<string, string>? metadata,
        string location)
    {
        var sorted = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var infos = new List<SafeTensorInfo>(sorted.Count);
        long offset = 0;
        string? previousName = null;
        foreach (var spec in sorted)
        {
            ValidateName(spec.Name, previousName, location);
            previousName = spec.Name;
            var end = EndOffset(spec, offset, location);
            infos.Add(new SafeTensorInfo(spec.Name, spec.DType, [.. spec.Shape], offset, end));
            offset = end;
        }

        var json = WriteJson(infos, metadata);
        var paddedLength = (json.Length + Alignment - 1) / Alignment * Alignment;
        if (paddedLength > SafeTensorsHeaderParser.MaxHeaderLength)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.HeaderTooLarge,
                $"The header would be {paddedLength} bytes, more than the {SafeTensorsHeaderParser.MaxHeaderLength}-byte limit readers accept.",
                location);
        }

        var bytes = new byte[SafeTensorsHeaderParser.PrefixLength + paddedLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)paddedLength);
        json.CopyTo(bytes.AsSpan(SafeTensorsHeaderParser.PrefixLength));
        bytes.AsSpan(SafeTensorsHeaderParser.PrefixLength + json.Length).Fill((byte)' ');
        return new SafeTensorsFileLayout(bytes, infos, offset);
    }

    private static void ValidateName(string name, string? previousName, string location)
    {
        if (string.IsNullOrEmpty(name) || name == SafeTensorsHeaderParser.MetadataKey)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.InvalidTensorName,
                $"A tensor cannot be named '{name}': names must be non-empty and '{SafeTensorsHeaderParser.MetadataKey}' is reserved.",
                location);
        }

        if (name == previousName)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.DuplicateTensorName,
                $"Two tensors to write are both named '{name}'.",
                SafeTensorsLocation.ForTensor(location, name));
        }
    }

    private static long EndOffset(SafeTensorSpec spec, long begin, string location)
    {
        try
        {
            long elements = 1;
            foreach (var dimension in spec.Shape)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(dimension, nameof(spec.Shape));
                elements = checked(elements * dimension);
            }

            return checked(begin + (elements * spec.DType.ElementSize()));
        }
        catch (OverflowException)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.TensorSizeOverflow,
                $"Tensor '{spec.Name}' with shape [{string.Join(", ", spec.Shape)}] does not fit: the data section would exceed what a 64-bit size can count.",
                SafeTensorsLocation.ForTensor(location, spec.Name));
        }
    }

    private static byte[] WriteJson(IReadOnlyList<SafeTensorInfo> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            writer.WriteStartObject();
            var metadataWritten = metadata is not { Count: > 0 };
            foreach (var tensor in tensors)
            {
                if (!metadataWritten && string.CompareOrdinal(SafeTensorsHeaderParser.MetadataKey, tensor.Name) < 0)
                {
                    WriteMetadata(writer, metadata!);
                    metadataWritten = true;
                }

                WriteTensor(writer, tensor);
            }

            if (!metadataWritten)
            {
                WriteMetadata(writer, metadata!);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMetadata(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> metadata)
    {
        writer.WriteStartObject(SafeTensorsHeaderParser.MetadataKey);
        foreach (var (key, value) in metadata.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            ArgumentNullException.ThrowIfNull(value, $"metadata[{key}]");
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    private static void WriteTensor(Utf8JsonWriter writer, SafeTensorInfo tensor)
    {
        writer.WriteStartObject(tensor.Name);
        writer.WriteStartArray("data_offsets");
        writer.WriteNumberValue(tensor.DataBegin);
        writer.WriteNumberValue(tensor.DataEnd);
        writer.WriteEndArray();
        writer.WriteString("dtype", tensor.DType.HeaderName());
        writer.WriteStartArray("shape");
        foreach (var dimension in tensor.Shape)
        {
            writer.WriteNumberValue(dimension);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
