using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// Parses and validates a safetensors header without touching tensor data or libtorch. The checks follow the
/// reference implementation (huggingface/safetensors) and add one it lacks: duplicate keys are rejected.
/// </summary>
public static class SafeTensorsHeaderParser
{
    /// <summary>Bytes in the little-endian <c>u64</c> header-length prefix.</summary>
    public const int PrefixLength = sizeof(ulong);

    /// <summary>The largest header the reference implementation accepts.</summary>
    public const long MaxHeaderLength = 100_000_000;

    /// <summary>The reserved top-level key that holds the string-to-string metadata map.</summary>
    public const string MetadataKey = "__metadata__";

    private static readonly JsonReaderOptions s_readerOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>Validates the 8-byte prefix of a file of <paramref name="fileLength"/> bytes and returns the header length.</summary>
    /// <param name="fileStart">The first bytes of the file (at least 8 unless the file is shorter).</param>
    /// <param name="fileLength">The length of the whole file.</param>
    /// <param name="location">The file, for error messages.</param>
    public static long ParseHeaderLength(ReadOnlySpan<byte> fileStart, long fileLength, string location)
    {
        if (fileLength < PrefixLength || fileStart.Length < PrefixLength)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.FileTooSmall,
                $"The file has {Math.Min(fileLength, fileStart.Length)} bytes; a safetensors file starts with an {PrefixLength}-byte header length.",
                location);
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(fileStart);
        if (headerLength > MaxHeaderLength)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.HeaderTooLarge,
                $"The header length is {headerLength} bytes, more than the {MaxHeaderLength}-byte limit; the file is not safetensors or is corrupt.",
                location);
        }

        if ((long)headerLength > fileLength - PrefixLength)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.HeaderExceedsFile,
                $"The header length is {headerLength} bytes but only {fileLength - PrefixLength} bytes follow the prefix; the file is truncated or not safetensors.",
                location);
        }

        return (long)headerLength;
    }

    /// <summary>Parses and validates the JSON header.</summary>
    /// <param name="headerJson">The header bytes (after the 8-byte prefix).</param>
    /// <param name="dataSectionLength">The number of bytes after the header: file length − 8 − header length.</param>
    /// <param name="location">The file, for error messages.</param>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> headerJson, long dataSectionLength, string location)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataSectionLength);
        if (!Utf8.IsValid(headerJson))
        {
            throw new LoraException(SafeTensorsErrorCodes.HeaderNotUtf8, "The header is not valid UTF-8.", location);
        }

        if (headerJson.IsEmpty || headerJson[0] != (byte)'{')
        {
            throw new LoraException(
                SafeTensorsErrorCodes.HeaderNotJsonObject,
                "The header must be a JSON object starting with '{'.",
                location);
        }

        List<SafeTensorInfo> tensors;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            (tensors, metadata) = ReadHeaderObject(headerJson, location);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string with an escaped lone surrogate cannot become a .NET string.
            throw new LoraException(
                SafeTensorsErrorCodes.HeaderMalformedJson,
                $"The header is not well-formed JSON: {ex.Message}",
                location,
                ex);
        }

        SafeTensorsLayoutValidator.Validate(tensors, dataSectionLength, location);
        return new SafeTensorsHeader(headerJson.Length, tensors, metadata);
    }

    private static (List<SafeTensorInfo> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadHeaderObject(
        ReadOnlySpan<byte> headerJson,
        string location)
    {
        var reader = new Utf8JsonReader(headerJson, s_readerOptions);
        JsonTokens.Advance(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.HeaderNotJsonObject,
                $"The header must be a JSON object, not {JsonTokens.Describe(reader.TokenType)}.",
                location);
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        var tensors = new List<SafeTensorInfo>();
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        while (JsonTokens.NextProperty(ref reader) is { } key)
        {
            if (!keys.Add(key))
            {
                throw key == MetadataKey
                    ? new LoraException(
                        SafeTensorsErrorCodes.MetadataInvalid,
                        $"The header has more than one '{MetadataKey}' key.",
                        SafeTensorsLocation.ForField(location, MetadataKey))
                    : new LoraException(
                        SafeTensorsErrorCodes.DuplicateTensorName,
                        $"The header names tensor '{key}' more than once.",
                        SafeTensorsLocation.ForTensor(location, key));
            }

            JsonTokens.Advance(ref reader);
            if (key == MetadataKey)
            {
                metadata = ReadMetadata(ref reader, location);
            }
            else
            {
                tensors.Add(SafeTensorsEntryParser.Read(ref reader, key, location));
            }
        }

        // Anything but whitespace after the object makes the reader throw here.
        if (reader.Read())
        {
            throw new JsonException("Unexpected content after the header object.");
        }

        return (tensors, metadata);
    }

    private static Dictionary<string, string> ReadMetadata(ref Utf8JsonReader reader, string file)
    {
        var location = SafeTensorsLocation.ForField(file, MetadataKey);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null)
        {
            // The reference implementation reads __metadata__ as an optional map, so null means none.
            return metadata;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new LoraException(
                SafeTensorsErrorCodes.MetadataInvalid,
                $"'{MetadataKey}' must be an object mapping strings to strings, not {JsonTokens.Describe(reader.TokenType)}.",
                location);
        }

        while (JsonTokens.NextProperty(ref reader) is { } key)
        {
            JsonTokens.Advance(ref reader);
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new LoraException(
                    SafeTensorsErrorCodes.MetadataInvalid,
                    $"'{MetadataKey}' value for '{key}' must be a string, not {JsonTokens.Describe(reader.TokenType)}.",
                    location);
            }

            if (!metadata.TryAdd(key, reader.GetString()!))
            {
                throw new LoraException(
                    SafeTensorsErrorCodes.MetadataInvalid,
                    $"'{MetadataKey}' has key '{key}' more than once.",
                    location);
            }
        }

        return metadata;
    }
}
