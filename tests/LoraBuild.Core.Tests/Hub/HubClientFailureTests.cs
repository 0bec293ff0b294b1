using System.Net;
using System.Net.Sockets;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Hub;

namespace LoraBuild.Core.Tests.Hub;

public class HubClientFailureTests
{
    private const int CutAfter = 123_456;

    [Fact]
    public void ATransferCutMidwayIsResumedWithRangeAndVerified()
    {
        using var bed = new HubTestBed();
        var weights = bed.Repo.Commits[bed.Commit]["model.safetensors"];
        bed.Hub.CutTransfer(LoopbackHub.Sha256(weights), CutAfter);

        var snapshot = bed.Download();

        var transfers = bed.Hub.Requests.Where(r => r.Target.StartsWith("/cdn/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, transfers.Count);
        Assert.Null(transfers[0].Range);
        Assert.Equal($"bytes={CutAfter}-", transfers[1].Range);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(snapshot.Directory, "model.safetensors")));
    }

    [Fact]
    public void ARunThatGivesUpKeepsThePartialDownloadAndTheNextRunResumesIt()
    {
        using var bed = new HubTestBed();
        var weights = bed.Repo.Commits[bed.Commit]["model.safetensors"];
        var sha = LoopbackHub.Sha256(weights);
        bed.Hub.CutTransfer(sha, CutAfter);

        var error = Assert.Throws<LoraException>(() => bed.Download(bed.Settings(attempts: 1)));

        Assert.Equal(HubErrorCodes.NetworkFailure, error.Code);
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains("resumes", error.Message, StringComparison.Ordinal);
        var partial = Path.Combine(bed.RepoFolder, "blobs", sha + ".incomplete");
        Assert.Equal(CutAfter, new FileInfo(partial).Length);
        Assert.False(File.Exists(Path.Combine(bed.RepoFolder, "blobs", sha)));

        var snapshot = bed.Download(bed.Settings(attempts: 1));

        Assert.Equal($"bytes={CutAfter}-", bed.Hub.Requests.Last(r => r.Target.StartsWith("/cdn/", StringComparison.Ordinal)).Range);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(snapshot.Directory, "model.safetensors")));
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public void ACorruptedBlobIsRefusedWithItsCodeAndLeavesNoBlob()
    {
        using var bed = new HubTestBed();
        var sha = LoopbackHub.Sha256(bed.Repo.Commits[bed.Commit]["model.safetensors"]);
        bed.Hub.Corrupt[sha] = true;

        var error = Assert.Throws<LoraException>(() => bed.Download());

        Assert.Equal(HubErrorCodes.HashMismatch, error.Code);
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains(sha, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bed.RepoFolder, "blobs", sha)));
        Assert.False(File.Exists(Path.Combine(bed.RepoFolder, "blobs", sha + ".incomplete")));
        Assert.False(File.Exists(Path.Combine(bed.RepoFolder, "snapshots", bed.Commit, "model.safetensors")));
    }

    [Fact]
    public void AGatedRepositoryWithoutATokenIsRefusedWithAdviceToAcceptTheLicense()
    {
        using var bed = new HubTestBed(token: HubTestBed.Token);

        var error = Assert.Throws<LoraException>(() => bed.Download());

        Assert.Equal(HubErrorCodes.AccessDenied, error.Code);
        Assert.Contains("HF_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Contains("license", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(bed.RepoFolder, "snapshots")));
    }

    [Fact]
    public void AGatedRepositoryWithAnotherAccountsTokenIsRefusedWithoutShowingTheToken()
    {
        using var bed = new HubTestBed(token: HubTestBed.Token);
        const string wrong = "hf_wrongAccountToken987654321";

        var error = Assert.Throws<LoraException>(() => bed.Download(bed.Settings(token: wrong)));

        Assert.Equal(HubErrorCodes.AccessDenied, error.Code);
        Assert.DoesNotContain(wrong, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("from HF_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTokenGoesToTheHubHostOnlyAndIsNeverWrittenOrShown()
    {
        using var bed = new HubTestBed(token: HubTestBed.Token);
        var progress = new HubClientDownloadTests.Reports();
        var settings = bed.Settings(token: HubTestBed.Token);

        bed.Download(settings, progress: progress);

        var requests = bed.Hub.Requests;
        Assert.All(requests.Where(r => r.Host == "127.0.0.1"), r => Assert.Equal("Bearer " + HubTestBed.Token, r.Authorization));
        Assert.Contains(requests, r => r.Host == "localhost");
        Assert.All(requests.Where(r => r.Host == "localhost"), r => Assert.Null(r.Authorization));
        foreach (var file in Directory.EnumerateFiles(bed.Folder, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(HubTestBed.Token, File.ReadAllText(file), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(HubTestBed.Token, settings.ToString(), StringComparison.Ordinal);
        Assert.All(progress.Items, p => Assert.DoesNotContain(HubTestBed.Token, p.Describe() + p, StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnknownRepositoryOrRevisionIsACodedError()
    {
        using var bed = new HubTestBed();
        using var client = new HubClient(bed.Settings());

        var repository = Assert.Throws<LoraException>(() => client.DownloadAsync(HubModelReference.Create("org/nothing", "main")).GetAwaiter().GetResult());
        var revision = Assert.Throws<LoraException>(() => client.DownloadAsync(bed.Model("no-such-branch")).GetAwaiter().GetResult());

        Assert.Equal(HubErrorCodes.RepositoryNotFound, repository.Code);
        Assert.Contains("org/nothing", repository.Message, StringComparison.Ordinal);
        Assert.Equal(HubErrorCodes.RepositoryNotFound, revision.Code);
        Assert.Contains("no-such-branch", revision.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AShardTheIndexNamesButTheRepositoryLacksIsACodedError()
    {
        using var bed = new HubTestBed(files: HubTestBed.ShardedModelFiles(dropSecondShard: true));

        var error = Assert.Throws<LoraException>(() => bed.Download());

        Assert.Equal(HubErrorCodes.FileNotFound, error.Code);
        Assert.Contains("model-00002-of-00002.safetensors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepositoryWithoutSafetensorsWeightsIsRefusedBeforeAnyDownload()
    {
        var files = HubTestBed.ModelFiles();
        files.Remove("model.safetensors");
        using var bed = new HubTestBed(files: files);

        var error = Assert.Throws<LoraException>(() => bed.Download());

        Assert.Equal(HubErrorCodes.NotAModel, error.Code);
        Assert.Contains("pytorch_model.bin", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(bed.Hub.Requests, r => r.Target.Contains("/resolve/", StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnreachableHubIsANetworkError()
    {
        using var bed = new HubTestBed();
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var client = new HubClient(new HubSettings
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}"),
            CacheDirectory = bed.CacheDirectory,
            Attempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        });

        var error = Assert.Throws<LoraException>(() => client.DownloadAsync(bed.Model()).GetAwaiter().GetResult());

        Assert.Equal(HubErrorCodes.NetworkFailure, error.Code);
        Assert.Contains("HF_HUB_OFFLINE=1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFullDiskIsACodedError()
    {
        if (!File.Exists("/dev/full"))
        {
            return; // needs /dev/full, whose writes fail with ENOSPC (Linux)
        }

        using var bed = new HubTestBed();
        var sha = LoopbackHub.Sha256(bed.Repo.Commits[bed.Commit]["model.safetensors"]);
        var partial = Path.Combine(bed.RepoFolder, "blobs", sha + ".incomplete");
        Directory.CreateDirectory(Path.GetDirectoryName(partial)!);
        File.CreateSymbolicLink(partial, "/dev/full");

        var error = Assert.Throws<LoraException>(() => bed.Download());

        Assert.Equal(HubErrorCodes.DiskFull, error.Code);
        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(bed.RepoFolder, "blobs", sha)));
    }
}
