using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LoraBuild.Core.Cache;

/// <summary>
/// The list a cache package carries of what it holds: the adapter, its full fingerprint and the SHA-256 of every file,
/// so a download is checked file by file before anything of it is used.
/// </summary>
/// <param name="Adapter">The adapter's name.</param>
/// <param name="Fingerprint">The full fingerprint (the package version carries only its first 32 hex digits).</param>
/// <param name="Files">File name (in the adapter folder) to lower-case hex SHA-256.</param>
public sealed record CacheEntryManifest(
    [property: JsonPropertyName("adapter")] string Adapter,
    [property: JsonPropertyName("fingerprint")] string Fingerprint,
    [property: JsonPropertyName("files")] SortedDictionary<string, string> Files)
{
    /// <summary>Its path in the package.</summary>
    public const string FileName = "lorabuild-cache.json";

    /// <summary>The folder of the package that holds the adapter's files.</summary>
    public const string AdapterFolder = "adapter";

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static CacheEntryManifest Create(string adapter, string fingerprint, string directory, IEnumerable<string> fileNames)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in fileNames)
        {
            files[name] = Sha256(Path.Combine(directory, name));
        }

        return new CacheEntryManifest(adapter, fingerprint, files);
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public byte[] Serialize() => JsonSerializer.SerializeToUtf8Bytes(this, Options);

    /// <returns>Null when the text is not such a manifest.</returns>
    public static CacheEntryManifest? TryParse(Stream stream)
    {
        try
        {
            var manifest = JsonSerializer.Deserialize<CacheEntryManifest>(stream, Options);
            return manifest is { Adapter: not null, Fingerprint: not null, Files: not null } ? manifest : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
