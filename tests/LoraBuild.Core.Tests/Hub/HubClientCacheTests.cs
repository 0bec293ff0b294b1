using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Fingerprints;
using LoraBuild.Core.Hub;
using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Tests.Hub;

public class HubClientCacheTests
{
    [Fact]
    public void ACommitRevisionWhoseSnapshotIsCompleteMakesNoRequest()
    {
        using var bed = new HubTestBed();
        bed.Download();
        bed.Hub.ClearRequests();

        var snapshot = bed.Download(revision: bed.Commit);

        Assert.Empty(bed.Hub.Requests);
        Assert.Equal(bed.Commit, snapshot.Commit);
        Assert.Contains("model.safetensors", snapshot.Files);
    }

    [Fact]
    public void ABranchWhoseSnapshotIsCompleteAsksOnlyWhereTheBranchIs()
    {
        using var bed = new HubTestBed();
        bed.Download();
        bed.Hub.ClearRequests();

        var snapshot = bed.Download();

        var request = Assert.Single(bed.Hub.Requests);
        Assert.Equal($"/api/models/{bed.Repo.Id}/revision/main", request.Target);
        Assert.Equal(bed.Commit, snapshot.Commit);
    }

    [Fact]
    public void OfflineTheBranchResolvesThroughTheCacheWithoutAnyRequest()
    {
        using var bed = new HubTestBed();
        var online = bed.Download();
        bed.Hub.ClearRequests();

        var offline = bed.Download(bed.Settings(offline: true));

        Assert.Empty(bed.Hub.Requests);
        Assert.Equal(online.Commit, offline.Commit);
        Assert.Equal(online.Directory, offline.Directory);
        Assert.Equal(online.Files.Order(StringComparer.Ordinal), offline.Files.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OfflineWithNothingCachedIsACodedErrorAndMakesNoRequest()
    {
        using var bed = new HubTestBed();

        var error = Assert.Throws<LoraException>(() => bed.Download(bed.Settings(offline: true)));

        Assert.Equal(HubErrorCodes.NotCached, error.Code);
        Assert.Contains("HF_HUB_OFFLINE", error.Message, StringComparison.Ordinal);
        Assert.Empty(bed.Hub.Requests);
    }

    [Fact]
    public void AMovedBranchResolvesToTheNewCommitKeepsTheOldSnapshotAndChangesTheFingerprint()
    {
        using var bed = new HubTestBed();
        var first = bed.Download();
        var moved = bed.Repo.Push(HubTestBed.ModelFiles(configSuffix: ", \"rope_theta\": 500000.0"));

        var second = bed.Download();

        Assert.Equal(moved, second.Commit);
        Assert.NotEqual(first.Commit, second.Commit);
        Assert.Equal(moved, File.ReadAllText(Path.Combine(bed.RepoFolder, "refs", "main")));
        Assert.True(HubModelFiles.IsComplete(first.Directory));
        Assert.Single(bed.Hub.Requests, r => r.Target.StartsWith("/cdn/", StringComparison.Ordinal)); // the unchanged weights' blob is shared
        Assert.NotEqual(Fingerprint(first), Fingerprint(second));
    }

    [Fact]
    public void TheCommitIsPartOfTheFingerprintEvenWhenNoNeededFileChanged()
    {
        using var bed = new HubTestBed();
        var first = bed.Download();
        var files = HubTestBed.ModelFiles();
        files["README.md"] = "# tiny, a new model card"u8.ToArray();
        bed.Repo.Push(files);

        var second = bed.Download();

        Assert.NotEqual(first.Commit, second.Commit);
        Assert.NotEqual(Fingerprint(first), Fingerprint(second));
        var unpinned = Core.Fingerprints.Fingerprint.Compute(Spec(), new ResolvedBaseModel(second.Directory, "org/tiny", null, second.Files), new FileHashCache(null), Runtime);
        var pinned = Core.Fingerprints.Fingerprint.Compute(Spec(), new ResolvedBaseModel(second.Directory, "org/tiny", second.Commit, second.Files), new FileHashCache(null), Runtime);
        Assert.Equal(unpinned.Inputs.BaseModelFiles, pinned.Inputs.BaseModelFiles);
        Assert.Contains($"\"baseModelCommit\":\"{second.Commit}\"", pinned.CanonicalJson, StringComparison.Ordinal);
    }

    private static readonly RuntimeIdentity Runtime = new("test", "2.5.1", "cpu");

    private static TrainingSpec Spec() => new() { Name = "Tiny", BaseModel = new BaseModelReference { HubId = "org/tiny" } };

    private static string Fingerprint(HubSnapshot snapshot) =>
        Core.Fingerprints.Fingerprint.Compute(Spec(), new ResolvedBaseModel(snapshot.Directory, "org/tiny", snapshot.Commit, snapshot.Files), new FileHashCache(null), Runtime).Value;
}
