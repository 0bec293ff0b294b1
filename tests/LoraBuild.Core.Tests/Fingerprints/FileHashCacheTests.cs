using System.Diagnostics;
using System.Security.Cryptography;
using LoraBuild.Core.Fingerprints;

namespace LoraBuild.Core.Tests.Fingerprints;

public class FileHashCacheTests
{
    [Fact]
    public void ChunkedHashIsTheSha256OfTheFile()
    {
        using var folder = new TempDirectory();
        var bytes = Enumerable.Range(0, (3 << 20) + 17).Select(i => (byte)(i * 7)).ToArray();
        var file = folder.Write("model.safetensors", string.Empty);
        File.WriteAllBytes(file, bytes);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), new FileHashCache(null).Hash(file));
    }

    [Fact]
    public void ProgressCountsEveryChunkReadAndACachedFileAtOnce()
    {
        using var folder = new TempDirectory();
        var file = folder.Write("model.safetensors", string.Empty);
        File.WriteAllBytes(file, new byte[(2 << 20) + 5]);
        var hashes = new FileHashCache(Path.Combine(folder.Path, "hashes.json"));
        var chunks = new List<long>();

        hashes.Hash(file, chunks.Add);
        var cachedChunks = new List<long>();
        hashes.Hash(file, cachedChunks.Add);

        Assert.Equal([1L << 20, 1L << 20, 5L], chunks);
        Assert.Equal([(2L << 20) + 5], cachedChunks);
    }

    [Fact]
    public void CancellingStopsHashingALargeFileQuickly()
    {
        using var folder = new TempDirectory();
        var file = folder.Write("model.safetensors", string.Empty);
        using (var stream = File.OpenWrite(file))
        {
            // Sparse: 4 GiB that take seconds to read and hash (about 12 here) but no disk space.
            stream.SetLength(4L << 30);
        }

        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var hashes = new FileHashCache(Path.Combine(folder.Path, "hashes.json"), cancellation.Token);
        var clock = Stopwatch.StartNew();

        Assert.Throws<OperationCanceledException>(() => hashes.Hash(file));

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Equal(0, hashes.FilesHashed);
        hashes.Save();
        Assert.False(File.Exists(Path.Combine(folder.Path, "hashes.json")));
    }

    [Fact]
    public void TwoCachesOnOneFileShareWhatEachHashed()
    {
        using var folder = new TempDirectory();
        var model = folder.Write("model.safetensors", "weights");
        var data = folder.Write("train.jsonl", "{}");
        var cacheFile = Path.Combine(folder.Path, "hashes.json");
        var task = new FileHashCache(cacheFile);
        task.Hash(data);
        task.Save();

        // The engine starts after the task saved, hashes the model, and saves while the task still holds its instance.
        var engine = new FileHashCache(cacheFile);
        engine.Hash(data);
        engine.Hash(model);
        engine.Save();
        Assert.Equal((1, 1), (engine.FilesHashed, engine.FilesFromCache));

        task.Refresh();
        task.Hash(model);
        Assert.Equal((1, 1), (task.FilesHashed, task.FilesFromCache));

        // A later save by either keeps the other's entries.
        var other = folder.Write("eval.jsonl", "[]");
        task.Hash(other);
        task.Save();
        var next = new FileHashCache(cacheFile);
        next.Hash(model);
        next.Hash(data);
        next.Hash(other);
        Assert.Equal((0, 3), (next.FilesHashed, next.FilesFromCache));
    }
}
