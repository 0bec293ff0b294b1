using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Fingerprints;

/// <summary>
/// SHA-256 of files, remembered by (full path, size, last write time) in a small JSON file, so that a
/// multi-GB base model is hashed once rather than on every build. The build task and the engine it starts share one
/// file: each saves what it hashed merged into what is on disk, and the task reads the engine's entries back.
/// </summary>
public sealed class FileHashCache
{
    private const int ChunkSize = 1 << 20;
    private readonly string? _cacheFile;
    private readonly CancellationToken _cancellation;
    private readonly ConcurrentDictionary<string, Entry> _entries;
    private readonly ConcurrentDictionary<string, Entry> _hashedHere = new(StringComparer.Ordinal);

    /// <param name="cacheFile">The JSON file, or null for a cache in memory only.</param>
    /// <param name="cancellation">Stops hashing a file between two 1 MiB reads (<see cref="OperationCanceledException"/>).</param>
    public FileHashCache(string? cacheFile, CancellationToken cancellation = default)
    {
        _cacheFile = cacheFile;
        _cancellation = cancellation;
        _entries = new ConcurrentDictionary<string, Entry>(Load(cacheFile), StringComparer.Ordinal);
    }

    /// <summary>How many files were actually read and hashed by this instance (the rest came from the cache).</summary>
    public int FilesHashed { get; private set; }

    /// <summary>How many hashes this instance answered from the cache without reading the file.</summary>
    public int FilesFromCache { get; private set; }

    /// <summary>The cache file, or null for a cache in memory only.</summary>
    public string? CacheFile => _cacheFile;

    public string Hash(string path) => Hash(path, bytesRead: null);

    /// <param name="path">The file.</param>
    /// <param name="bytesRead">Told the size of every chunk read (or, for a hash from the cache, the whole file's size at once).</param>
    public string Hash(string path, Action<long>? bytesRead)
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
            FilesFromCache++;
            bytesRead?.Invoke(info.Length);
            return cached.Sha256;
        }

        var hash = HashFile(info.FullName, bytesRead, _cancellation);
        FilesHashed++;
        _entries[key] = _hashedHere[key] = new Entry(info.Length, ticks, hash);
        return hash;
    }

    /// <summary>SHA-256 of a file, read in 1 MiB chunks with <paramref name="cancellation"/> checked before each.</summary>
    public static string HashFile(string path, CancellationToken cancellation = default) => HashFile(path, bytesRead: null, cancellation);

    /// <inheritdoc cref="HashFile(string, CancellationToken)"/>
    /// <param name="bytesRead">Told the size of every chunk read.</param>
    public static string HashFile(string path, Action<long>? bytesRead, CancellationToken cancellation)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkSize];
        int read;
        do
        {
            cancellation.ThrowIfCancellationRequested();
            read = stream.Read(buffer);
            sha.AppendData(buffer, 0, read);
            if (read > 0)
            {
                bytesRead?.Invoke(read);
            }
        }
        while (read > 0);

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>Takes in what another process (the engine, or the build that started it) saved to the cache file since.</summary>
    public void Refresh()
    {
        foreach (var (key, entry) in Load(_cacheFile))
        {
            _entries[key] = entry;
        }
    }

    /// <summary>Writes the cache file, merged with what is on disk now, if anything new was hashed.</summary>
    public void Save()
    {
        if (_cacheFile is null || _hashedHere.IsEmpty)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_cacheFile))!);
        var sorted = new SortedDictionary<string, Entry>(Load(_cacheFile), StringComparer.Ordinal);
        foreach (var (key, entry) in _hashedHere)
        {
            sorted[key] = entry;
        }

        AtomicFile.WriteAllText(_cacheFile, JsonSerializer.Serialize(sorted));
        _hashedHere.Clear();
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
        catch (Exception e) when (e is JsonException or IOException)
        {
            // A damaged cache only costs a re-hash; it must never fail a build.
            return [];
        }
    }

    private sealed record Entry(long Size, long LastWriteTicks, string Sha256);
}
