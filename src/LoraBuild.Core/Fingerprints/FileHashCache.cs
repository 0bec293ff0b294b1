using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Fingerprints;

/// <summary>
/// SHA-256 of files, remembered by (full path, size, last write time) in a small JSON file, so that a
/// multi-GB base model is hashed once rather than on every build.
/// </summary>
public sealed class FileHashCache
{
    private readonly string? _cacheFile;
    private readonly ConcurrentDictionary<string, Entry> _entries;
    private bool _dirty;

    public FileHashCache(string? cacheFile)
    {
        _cacheFile = cacheFile;
        _entries = new ConcurrentDictionary<string, Entry>(Load(cacheFile), StringComparer.Ordinal);
    }

    /// <summary>How many files were actually read and hashed by this instance (the rest came from the cache).</summary>
    public int FilesHashed { get; private set; }

    public string Hash(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException("Cannot hash a file that does not exist.", path);
        }

        var key = info.FullName;
        var ticks = info.LastWriteTimeUtc.Ticks;
        if (_entries.TryGetValue(key, out var cached) && cached.Size == info.Length && cached.LastWriteTicks == ticks)
        {
            return cached.Sha256;
        }

        string hash;
        using (var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }

        FilesHashed++;
        _entries[key] = new Entry(info.Length, ticks, hash);
        _dirty = true;
        return hash;
    }

    /// <summary>Writes the cache file if anything new was hashed.</summary>
    public void Save()
    {
        if (_cacheFile is null || !_dirty)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_cacheFile))!);
        var sorted = new SortedDictionary<string, Entry>(_entries, StringComparer.Ordinal);
        AtomicFile.WriteAllText(_cacheFile, JsonSerializer.Serialize(sorted));
        _dirty = false;
    }

    private static Dictionary<string, Entry> Load(string? cacheFile)
    {
        if (cacheFile is null || !File.Exists(cacheFile))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(cacheFile)) ?? [];
        }
        catch (JsonException)
        {
            // A damaged cache only costs a re-hash; it must never fail a build.
            return [];
        }
    }

    private sealed record Entry(long Size, long LastWriteTicks, string Sha256);
}
