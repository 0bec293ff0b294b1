using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>Reads one tensor entry (<c>{"dtype": …, "shape": […], "data_offsets": [begin, end]}</c>) and checks its size.</summary>
internal static class SafeTensorsEntryParser
{
    private const string DTypeField = "dtype";
    private const string ShapeField = "shape";
    private const string DataOffsetsField = "data_offsets";

    /// <summary>Reads the entry whose value token the reader is on.</summary>
    public static SafeTensorInfo Read(ref Utf8JsonReader reader, string name, string file)
    {
        var location = SafeTensorsLocation.ForTensor(file, name);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Malformed($"must be an object with dtype, shape and data_offsets, not {JsonTokens.Describe(reader.TokenType)}");
        }

        SafeTensorsDType? dtype = null;
        long[]? shape = null;
        (long Begin, long End)? offsets = null;
        var fields = new HashSet<string>(StringComparer.Ordinal);
        while (JsonTokens.NextProperty(ref reader) is { } field)
        {
            if (!fields.Add(field))
            {
                throw Malformed($"has field '{field}' more than once");
            }

            JsonTokens.Advance(ref reader);
            switch (field)
            {
                case DTypeField:
                    dtype = ReadDType(ref reader, name, location);
                    break;
                case ShapeField:
                    shape = ReadShape(ref reader, name, location);
                    break;
                case DataOffsetsField:
                    offsets = ReadDataOffsets(ref reader, name, location);
                    break;
                default:
                    // The reference implementation ignores fields it does not know.
                    reader.Skip();
                    break;
            }
        }

        if (dtype is null || shape is null || offsets is null)
        {
            var missing = new List<string>();
            if (dtype is null)
            {
                missing.Add(DTypeField);
            }

            if (shape is null)
            {
                missing.Add(ShapeField);
            }

            if (offsets is null)
            {
                missing.Add(DataOffsetsField);
            }

            throw Malformed($"lacks {string.Join(", ", missing)}");
        }

        var (begin, end) = offsets.Value;
        if (begin > end)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.DataOffsetsReversed,
                $"Tensor '{name}' has data_offsets [{begin}, {end}]: the begin is after the end.",
                location);
        }

        var byteLength = ByteLength(dtype.Value, shape, name, location);
        if (end - begin != byteLength)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.TensorSizeMismatch,
                $"Tensor '{name}' ({dtype.Value.HeaderName()} [{string.Join(", ", shape)}]) needs {byteLength} bytes but data_offsets [{begin}, {end}] cover {end - begin}.",
                location);
        }

        return new SafeTensorInfo(name, dtype.Value, shape, begin, end);

        LoraException Malformed(string problem) =>
            new(SafeTensorsErrorCodes.TensorEntryMalformed, $"Tensor entry '{name}' {problem}.", location);
    }

    private static SafeTensorsDType ReadDType(ref Utf8JsonReader reader, string name, string location)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.TensorEntryMalformed,
                $"Tensor entry '{name}' has a dtype that is {JsonTokens.Describe(reader.TokenType)}, not a string.",
                location);
        }

        var text = reader.GetString()!;
        if (!SafeTensorsDTypes.TryParse(text, out var dtype))
        {
            throw new LoraException(
                SafeTensorsErrorCodes.UnknownDType,
                $"Tensor '{name}' has dtype '{text}', which is not a known safetensors dtype (BOOL, U8, I8, F8_E5M2, F8_E4M3, I16, U16, F16, BF16, I32, U32, F32, C64, F64, I64, U64).",
                location);
        }

        return dtype.Value;
    }

    private static long[] ReadShape(ref Utf8JsonReader reader, string name, string location)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw InvalidShape($"is {JsonTokens.Describe(reader.TokenType)}");
        }

        var shape = new List<long>();
        while (true)
        {
            JsonTokens.Advance(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                return [.. shape];
            }

            if (!TryReadNonNegativeInteger(ref reader, out var dimension))
            {
                throw InvalidShape($"has dimension {shape.Count} that is not a non-negative 64-bit integer");
            }

            shape.Add(dimension);
        }

        LoraException InvalidShape(string problem) =>
            new(SafeTensorsErrorCodes.InvalidShape, $"Tensor '{name}' has a shape that {problem}; it must be an array of non-negative integers.", location);
    }

    private static (long Begin, long End) ReadDataOffsets(ref Utf8JsonReader reader, string name, string location)
    {
        Span<long> values = stackalloc long[2];
        var count = 0;
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            while (true)
            {
                JsonTokens.Advance(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                if (count == values.Length || !TryReadNonNegativeInteger(ref reader, out values[count]))
                {
                    count = -1;
                    break;
                }

                count++;
            }
        }

        if (count != values.Length)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.InvalidDataOffsets,
                $"Tensor '{name}' must have data_offsets [begin, end] of two non-negative 64-bit integers.",
                location);
        }

        return (values[0], values[1]);
    }

    private static bool TryReadNonNegativeInteger(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out value) && value >= 0;
    }

    private static long ByteLength(SafeTensorsDType dtype, long[] shape, string name, string location)
    {
        try
        {
            // Multiplied left to right as the reference implementation does, so the same shapes overflow.
            long elements = 1;
            foreach (var dimension in shape)
            {
                elements = checked(elements * dimension);
            }

            return checked(elements * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.TensorSizeOverflow,
                $"Tensor '{name}' with shape [{string.Join(", ", shape)}] has more bytes than a 64-bit size can count.",
                location);
        }
    }
}
