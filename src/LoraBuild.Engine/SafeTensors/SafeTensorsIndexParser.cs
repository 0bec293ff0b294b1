using System.Text.Json;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.SafeTensors;

/// <summary>
/// Parses a sharded-checkpoint index, <c>{"metadata": {...}, "weight_map": {"tensor": "shard.safetensors", ...}}</c>,
/// rejecting repeated keys that <see cref="JsonDocument"/> would silently accept. Needs no libtorch.
/// </summary>
public static class SafeTensorsIndexParser
{
    private const string MetadataKey = "metadata";
    private const string WeightMapKey = "weight_map";

    /// <summary>Reads and parses the index file at <paramref name="path"/>.</summary>
    public static SafeTensorsIndex Read(string path)
    {
        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new LoraException(SafeTensorsErrorCodes.FileNotFound, "The index file does not exist.", path, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(SafeTensorsErrorCodes.ReadFailed, $"The index file cannot be read: {ex.Message}", path, ex);
        }

        return Parse(json, path);
    }

    /// <summary>Parses index JSON (UTF-8, an optional byte order mark allowed).</summary>
    public static SafeTensorsIndex Parse(ReadOnlySpan<byte> json, string location)
    {
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        try
        {
            return ParseObject(json, location);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException)
        {
            // ArgumentException: invalid UTF-8; InvalidOperationException: an escaped lone surrogate in a string.
            throw Malformed($"The index is not well-formed JSON: {ex.Message}", location, ex);
        }
    }

    private static SafeTensorsIndex ParseObject(ReadOnlySpan<byte> json, string location)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
        JsonTokens.Advance(ref reader);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Malformed($"The index must be a JSON object, not {JsonTokens.Describe(reader.TokenType)}.", location);
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? weightMap = null;
        while (JsonTokens.NextProperty(ref reader) is { } key)
        {
            if (!keys.Add(key))
            {
                throw Malformed($"The index has key '{key}' more than once.", location);
            }

            JsonTokens.Advance(ref reader);
            switch (key)
            {
                case MetadataKey:
                    metadata = ReadMetadata(ref reader, location);
                    break;
                case WeightMapKey:
                    weightMap = ReadWeightMap(ref reader, location);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (reader.Read())
        {
            throw new JsonException("Unexpected content after the index object.");
        }

        if (weightMap is null)
        {
            throw Malformed($"The index has no '{WeightMapKey}' object.", location);
        }

        return new SafeTensorsIndex(metadata, weightMap);
    }

    private static Dictionary<string, string> ReadMetadata(ref Utf8JsonReader reader, string location)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return metadata;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Malformed($"'{MetadataKey}' must be an object, not {JsonTokens.Describe(reader.TokenType)}.", location);
        }

        while (JsonTokens.NextProperty(ref reader) is { } key)
        {
            JsonTokens.Advance(ref reader);
            var value = JsonElement.ParseValue(ref reader);
            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            if (!metadata.TryAdd(key, text))
            {
                throw Malformed($"'{MetadataKey}' has key '{key}' more than once.", location);
            }
        }

        return metadata;
    }

    private static Dictionary<string, string> ReadWeightMap(ref Utf8JsonReader reader, string location)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Malformed($"'{WeightMapKey}' must be an object mapping tensor names to shard files, not {JsonTokens.Describe(reader.TokenType)}.", location);
        }

        var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
        while (JsonTokens.NextProperty(ref reader) is { } tensorName)
        {
            JsonTokens.Advance(ref reader);
            if (reader.TokenType != JsonTokenType.String || reader.GetString() is not { Length: > 0 } shardFile)
            {
                throw Malformed($"'{WeightMapKey}' must map tensor '{tensorName}' to a shard file name.", location);
            }

            if (!weightMap.TryAdd(tensorName, shardFile))
            {
                throw Malformed($"'{WeightMapKey}' lists tensor '{tensorName}' more than once.", location);
            }
        }

        return weightMap;
    }

    private static LoraException Malformed(string message, string location, Exception? inner = null) =>
        new(SafeTensorsErrorCodes.ShardIndexMalformed, message, location, inner);
}
