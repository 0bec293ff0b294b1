using System.Collections.Concurrent;
using LoraBuild.Core.Hub;

namespace LoraBuild.Core.Tests.Hub;

public class HubClientDownloadTests
{
    [Fact]
    public void AFreshDownloadFetchesOnlyTheNeededFilesIntoThePythonCacheLayout()
    {
        using var bed = new HubTestBed();
        var progress = new Reports();

        var snapshot = bed.Download(progress: progress);

        var expected = new[] { "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "model.safetensors" };
        Assert.Equal(bed.Commit, snapshot.Commit);
        Assert.Equal(Path.Combine(bed.RepoFolder, "snapshots", bed.Commit), snapshot.Directory);
        Assert.Equal(expected.Order(StringComparer.Ordinal), snapshot.Files.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Order(StringComparer.Ordinal), Directory.EnumerateFiles(snapshot.Directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var served = bed.Repo.Commits[bed.Commit];
        foreach (var file in expected)
        {
            var pointer = Path.Combine(snapshot.Directory, file);
            var etag = LoopbackHub.IsLfs(file, served[file]) ? LoopbackHub.Sha256(served[file]) : LoopbackHub.GitBlobSha1(served[file]);
            Assert.Equal("../../blobs/" + etag, new FileInfo(pointer).LinkTarget);
            Assert.Equal(served[file], File.ReadAllBytes(pointer));
            Assert.Equal(Path.Combine(bed.RepoFolder, "blobs", etag), File.ResolveLinkTarget(pointer, returnFinalTarget: true)!.FullName);
        }

        Assert.Equal(LoopbackHub.Sha256(served["model.safetensors"]), Path.GetFileName(new FileInfo(Path.Combine(snapshot.Directory, "model.safetensors")).LinkTarget));
        Assert.Equal(bed.Commit, File.ReadAllText(Path.Combine(bed.RepoFolder, "refs", "main")));
        Assert.Equal(5, Directory.GetFiles(Path.Combine(bed.RepoFolder, "blobs")).Length);
        Assert.DoesNotContain(bed.Hub.Requests, r => r.Target.Contains(".bin", StringComparison.Ordinal) || r.Target.Contains("onnx", StringComparison.Ordinal) || r.Target.Contains("README", StringComparison.Ordinal));
        Assert.All(expected, file => Assert.Contains(progress.Items, p => p.File == file && p.Completed && p.BytesDownloaded == served[file].Length));
        Assert.Contains(progress.Items, p => p.File == "model.safetensors" && p.TotalBytes == 300_000 && !p.Completed);
    }

    [Fact]
    public void AShardedCheckpointFetchesItsIndexAndEveryShardItNames()
    {
        using var bed = new HubTestBed(files: HubTestBed.ShardedModelFiles());

        var snapshot = bed.Download();

        Assert.Contains("model.safetensors.index.json", snapshot.Files);
        Assert.Contains("model-00001-of-00002.safetensors", snapshot.Files);
        Assert.Contains("model-00002-of-00002.safetensors", snapshot.Files);
        Assert.True(HubModelFiles.IsComplete(snapshot.Directory));
        Assert.Equal(bed.Repo.Commits[bed.Commit]["model-00002-of-00002.safetensors"], File.ReadAllBytes(Path.Combine(snapshot.Directory, "model-00002-of-00002.safetensors")));
    }

    [Fact]
    public void ASnapshotAPythonToolDownloadedIsUsedAsItIsWithoutARequest()
    {
        using var bed = new HubTestBed();
        // Lay the cache out by hand, as huggingface_hub's snapshot_download leaves it: every file, .bin included.
        var snapshotFolder = Path.Combine(bed.RepoFolder, "snapshots", bed.Commit);
        foreach (var (file, content) in bed.Repo.Commits[bed.Commit])
        {
            var etag = LoopbackHub.IsLfs(file, content) ? LoopbackHub.Sha256(content) : LoopbackHub.GitBlobSha1(content);
            var blob = Path.Combine(bed.RepoFolder, "blobs", etag);
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            File.WriteAllBytes(blob, content);
            var pointer = Path.Combine(snapshotFolder, file);
            Directory.CreateDirectory(Path.GetDirectoryName(pointer)!);
            File.CreateSymbolicLink(pointer, Path.GetRelativePath(Path.GetDirectoryName(pointer)!, blob));
        }

        var snapshot = bed.Download(revision: bed.Commit);

        Assert.Empty(bed.Hub.Requests);
        Assert.Equal(snapshotFolder, snapshot.Directory);
        Assert.DoesNotContain("pytorch_model.bin", snapshot.Files);
        Assert.Contains("model.safetensors", snapshot.Files);
    }

    [Fact]
    public async Task TwoClientsDownloadingTheSameModelAtOnceFetchEachBlobOnce()
    {
        using var bed = new HubTestBed();
        bed.Hub.ChunkDelay = TimeSpan.FromMilliseconds(40);

        var both = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => bed.Download())));

        Assert.Equal(both[0].Commit, both[1].Commit);
        Assert.Single(bed.Hub.Requests, r => r.Target.StartsWith("/cdn/", StringComparison.Ordinal));
        Assert.Equal(bed.Repo.Commits[bed.Commit]["model.safetensors"], File.ReadAllBytes(Path.Combine(both[1].Directory, "model.safetensors")));
        Assert.Empty(Directory.GetFiles(Path.Combine(bed.RepoFolder, "blobs"), "*.incomplete"));
    }

    /// <summary>Collects reports on the reporting thread.</summary>
    internal sealed class Reports : IProgress<HubDownloadProgress>
    {
        private readonly ConcurrentQueue<HubDownloadProgress> _items = new();

        public IReadOnlyList<HubDownloadProgress> Items => [.. _items];

        public void Report(HubDownloadProgress value) => _items.Enqueue(value);
    }
}
