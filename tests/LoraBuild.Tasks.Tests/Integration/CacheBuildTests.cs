using LoraBuild.Core.Cache;
using LoraBuild.Tasks.Tests.Cache;

namespace LoraBuild.Tasks.Tests.Integration;

/// <summary>
/// The training cache in real builds: a build in readwrite mode trains and pushes; a clean checkout (no obj/, no bin/)
/// then restores the adapter from the feed without starting a training, byte for byte; a corrupt entry or an unreachable
/// feed is a warning and the adapter trains, unless the cache is required.
/// </summary>
[Collection(nameof(BuildTests))]
public class CacheBuildTests
{
    private const string EngineTrainCommand = "dotnet-lora.dll train ";

    [Fact]
    public void FolderFeedRestoresACleanCheckoutAndReplacesACorruptEntry()
    {
        using var project = new MicroProject();
        using var feed = new TempDirectory();
        string[] cache = [$"-p:LoraCacheSource={feed.Path}", "-p:LoraCacheMode=readwrite"];

        var first = project.Build(cache);
        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains(EngineTrainCommand, first.Output, StringComparison.Ordinal);
        Assert.Contains("LoraBuild: Micro pushed to the cache", first.Output, StringComparison.Ordinal);
        var trained = project.AdapterBytes();
        var entry = Assert.Single(Directory.GetFiles(feed.Path, "*.nupkg", SearchOption.AllDirectories));
        Assert.StartsWith("LoraBuild.Cache.Micro.0.0.0-fp-", Path.GetFileName(entry), StringComparison.OrdinalIgnoreCase);

        Clean(project);
        var restored = project.Build(cache);
        Assert.True(restored.Succeeded, restored.ToString());
        Assert.Contains($"LoraBuild: Micro restored from {feed.Path} in ", restored.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, restored.Output, StringComparison.Ordinal);
        Assert.Equal(trained, project.AdapterBytes());
        Assert.Equal(trained.Keys.Order(StringComparer.Ordinal), Directory.EnumerateFiles(project.OutputAdapterFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        CacheFeedTests.Tamper(entry, "adapter/adapter_model.safetensors");
        Clean(project);
        var corrupt = project.Build(cache);
        Assert.True(corrupt.Succeeded, corrupt.ToString());
        Assert.Contains($"warning {CacheErrorCodes.EntryInvalid}", corrupt.Output, StringComparison.Ordinal);
        Assert.Contains(EngineTrainCommand, corrupt.Output, StringComparison.Ordinal);
        Assert.Equal(trained["adapter_model.safetensors"], project.AdapterBytes()["adapter_model.safetensors"]);
        var retrained = project.AdapterBytes(); // same weights; lorabuild.json records this run's times

        // The push after that training replaced the corrupt entry.
        Clean(project);
        var repaired = project.Build(cache);
        Assert.True(repaired.Succeeded, repaired.ToString());
        Assert.Contains("LoraBuild: Micro restored from", repaired.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning LORA", repaired.Output, StringComparison.Ordinal);
        Assert.Equal(retrained, project.AdapterBytes());
    }

    [Fact]
    public void AuthenticatedHttpFeedNamedInNuGetConfigRestoresACleanCheckout()
    {
        using var server = new LoopbackNuGetFeed();
        using var project = new MicroProject();
        File.WriteAllText(Path.Combine(project.Folder, "nuget.config"), server.NuGetConfig("team-cache"));
        project.Environment[CacheFeed.ApiKeyVariable] = LoopbackNuGetFeed.ApiKey;

        var first = project.Build("-p:LoraCacheSource=team-cache", "-p:LoraCacheMode=readwrite", "-p:NuGetAudit=false");
        Assert.True(first.Succeeded, first.ToString());
        Assert.Contains(EngineTrainCommand, first.Output, StringComparison.Ordinal);
        Assert.Contains("LoraBuild: Micro pushed to the cache team-cache", first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(LoopbackNuGetFeed.ApiKey, first.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(LoopbackNuGetFeed.Password, first.Output, StringComparison.Ordinal);
        var trained = project.AdapterBytes();

        // The settings can come from the environment alone.
        Clean(project);
        project.Environment.Remove(CacheFeed.ApiKeyVariable);
        project.Environment[TrainingCacheSettings.SourceVariable] = "team-cache";
        project.Environment[TrainingCacheSettings.ModeVariable] = "read";
        var restored = project.Build("-p:NuGetAudit=false");
        Assert.True(restored.Succeeded, restored.ToString());
        Assert.Contains("LoraBuild: Micro restored from team-cache", restored.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, restored.Output, StringComparison.Ordinal);
        Assert.Equal(trained, project.AdapterBytes());
        Assert.Equal(1, server.Pushes);
    }

    [Fact]
    public void UnreachableFeedWarnsAndTrainsUnlessTheCacheIsRequired()
    {
        using var project = new MicroProject();
        string[] cache = ["-p:LoraCacheSource=http://127.0.0.1:9/v3/index.json", "-p:LoraCacheMode=read"];

        var required = project.Build([.. cache, "-p:LoraCacheRequired=true"]);
        Assert.False(required.Succeeded, required.ToString());
        Assert.Contains($"error {CacheErrorCodes.FeedUnreachable}", required.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(EngineTrainCommand, required.Output, StringComparison.Ordinal);

        var optional = project.Build(cache);
        Assert.True(optional.Succeeded, optional.ToString());
        Assert.Contains($"warning {CacheErrorCodes.FeedUnreachable}", optional.Output, StringComparison.Ordinal);
        Assert.Contains(EngineTrainCommand, optional.Output, StringComparison.Ordinal);
    }

    /// <summary>What a fresh checkout lacks: every build output, the adapters, and the hash and engine caches in obj/.</summary>
    private static void Clean(MicroProject project)
    {
        Directory.Delete(Path.Combine(project.Folder, "obj"), recursive: true);
        Directory.Delete(Path.Combine(project.Folder, "bin"), recursive: true);
    }
}
