using System.IO.Compression;
using LoraBuild.Core.Cache;
using LoraBuild.Core.Diagnostics;
using NuGet.Versioning;

namespace LoraBuild.Tasks.Tests.Cache;

/// <summary>Cache entries through <see cref="CacheFeed"/>: packing, pushing, downloading and checking, against a folder and an authenticated HTTP feed.</summary>
public class CacheFeedTests
{
    private const string Fingerprint = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";

    [Fact]
    public void IdsAndVersionsAreValidNuGetIdentities()
    {
        Assert.Equal("LoraBuild.Cache.SupportTriage", CachePackageName.Id("SupportTriage"));
        Assert.Equal("0.0.0-fp-0a1b2c3d4e5f60718293a4b5c6d7e8f9", CachePackageName.Version(Fingerprint));
        Assert.True(NuGetVersion.TryParseStrict(CachePackageName.Version(Fingerprint), out _));
        foreach (var name in new[] { "a..b", "-x", "name_", new string('n', 200), "A-._B" })
        {
            var id = CachePackageName.Id(name);
            Assert.True(NuGet.Packaging.PackageIdValidator.IsValidPackageId(id), id);
            Assert.True(id.Length <= CachePackageName.MaxIdLength, id);
        }

        Assert.NotEqual(CachePackageName.Id(new string('n', 200)), CachePackageName.Id(new string('n', 201)));
    }

    [Fact]
    public void SettingsComeFromTheValueThenTheEnvironment()
    {
        var environment = new Dictionary<string, string?>
        {
            [TrainingCacheSettings.SourceVariable] = "env-feed",
            [TrainingCacheSettings.ModeVariable] = "read",
        };
        string? Read(string name) => environment.GetValueOrDefault(name);

        Assert.Equal(new TrainingCacheSettings("env-feed", TrainingCacheMode.Read, false), TrainingCacheSettings.Resolve(null, "", null, Read));
        Assert.Equal(new TrainingCacheSettings("mine", TrainingCacheMode.ReadWrite, true), TrainingCacheSettings.Resolve("mine", "ReadWrite", "true", Read));
        Assert.Equal(TrainingCacheSettings.Off, TrainingCacheSettings.Resolve("mine", "off", null, Read));
        Assert.Equal(TrainingCacheSettings.Off, TrainingCacheSettings.Resolve(null, null, null, _ => null));
        Assert.Equal(CacheErrorCodes.SettingInvalid, Assert.Throws<LoraException>(() => TrainingCacheSettings.Resolve(null, "sometimes", null, Read)).Code);
        Assert.Equal(CacheErrorCodes.SettingInvalid, Assert.Throws<LoraException>(() => TrainingCacheSettings.Resolve(null, "read", null, _ => null)).Code);
    }

    [Fact]
    public void PackingTheSameFolderGivesTheSameBytesWhateverTheClockAndTheFileTimes()
    {
        using var folder = new TempDirectory();
        var adapter = Adapter(folder, "adapter");
        using var first = new MemoryStream();
        CachePackageWriter.Write("Micro", Fingerprint, adapter, first);

        Thread.Sleep(TimeSpan.FromSeconds(2.1)); // zip times count in two-second steps
        foreach (var file in Directory.EnumerateFiles(adapter))
        {
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-3));
        }

        using var second = new MemoryStream();
        CachePackageWriter.Write("Micro", Fingerprint, adapter, second);

        Assert.Equal(first.ToArray(), second.ToArray());
    }

    [Fact]
    public async Task FolderFeedRoundTripsAnEntryAndRejectsATamperedOne()
    {
        using var folder = new TempDirectory();
        var adapter = Adapter(folder, "adapter");
        using var feed = new CacheFeed(folder.File("feed"), folder.Path);

        Assert.False(await Download(feed, folder.File("missing.nupkg")));
        await Push(feed, adapter, folder.File("pack"), replace: false);
        await Push(feed, adapter, folder.File("pack2"), replace: false); // a duplicate is fine
        var package = folder.File("download.nupkg");
        Assert.True(await Download(feed, package));
        var restored = Directory.CreateDirectory(folder.File("restored")).FullName;
        CachePackageReader.ExtractVerified(package, "entry", Fingerprint, restored);
        foreach (var file in Directory.EnumerateFiles(adapter))
        {
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(restored, Path.GetFileName(file))));
        }

        // Packing is deterministic: the same folder gives the same bytes.
        using (var again = new MemoryStream())
        {
            CachePackageWriter.Write("Micro", Fingerprint, adapter, again);
            Assert.Equal(File.ReadAllBytes(package), again.ToArray());
        }

        Tamper(package, "adapter/adapter_model.safetensors");
        var e = Assert.Throws<LoraException>(() => CachePackageReader.ExtractVerified(package, "entry", Fingerprint, Directory.CreateDirectory(folder.File("bad")).FullName));
        Assert.Equal(CacheErrorCodes.EntryInvalid, e.Code);
        Assert.Contains("SHA-256", e.Message, StringComparison.Ordinal);
        Assert.Equal(CacheErrorCodes.EntryInvalid, Assert.Throws<LoraException>(() =>
            CachePackageReader.ExtractVerified(folder.File("download.nupkg"), "entry", Fingerprint.Replace('0', '1'), Directory.CreateDirectory(folder.File("other")).FullName)).Code);
    }

    [Fact]
    public async Task AuthenticatedHttpFeedTakesPushesAndServesDownloads()
    {
        using var folder = new TempDirectory();
        using var server = new LoopbackNuGetFeed();
        folder.Write("nuget.config", server.NuGetConfig("team-cache"));
        var adapter = Adapter(folder, "adapter");
        Environment.SetEnvironmentVariable(CacheFeed.ApiKeyVariable, LoopbackNuGetFeed.ApiKey);
        try
        {
            using var feed = new CacheFeed("team-cache", folder.Path);
            Assert.Contains(server.IndexUrl, feed.Description, StringComparison.Ordinal);
            Assert.False(await Download(feed, folder.File("none.nupkg")));
            await Push(feed, adapter, folder.File("pack"), replace: false);
            await Push(feed, adapter, folder.File("pack2"), replace: true);
            Assert.Equal(2, server.Pushes);
            var package = folder.File("download.nupkg");
            Assert.True(await Download(feed, package));
            CachePackageReader.ExtractVerified(package, "entry", Fingerprint, Directory.CreateDirectory(folder.File("restored")).FullName);
            Assert.True(server.Challenged > 0);
        }
        finally
        {
            Environment.SetEnvironmentVariable(CacheFeed.ApiKeyVariable, null);
        }

        // Without the API key the feed refuses the push: a coded failure, not a crash.
        using var keyless = new CacheFeed("team-cache", folder.Path);
        Assert.Equal(CacheErrorCodes.PushFailed, (await Assert.ThrowsAsync<LoraException>(() => Push(keyless, adapter, folder.File("pack3"), replace: false))).Code);
    }

    [Fact]
    public async Task UnreachableFeedIsACodedFailure()
    {
        using var folder = new TempDirectory();
        using var feed = new CacheFeed("http://127.0.0.1:9/v3/index.json", folder.Path);
        var e = await Assert.ThrowsAsync<LoraException>(() => Download(feed, folder.File("x.nupkg")));
        Assert.Equal(CacheErrorCodes.FeedUnreachable, e.Code);
    }

    private static string Adapter(TempDirectory folder, string name)
    {
        folder.Write($"{name}/adapter_config.json", """{"r": 2}""");
        folder.Write($"{name}/adapter_model.safetensors", "weights");
        folder.Write($"{name}/lorabuild.json", $$"""{"fingerprint": "{{Fingerprint}}"}""");
        folder.Write($"{name}/report.md", "# report");
        return folder.File(name);
    }

    private static async Task Push(CacheFeed feed, string adapter, string workFolder, bool replace)
    {
        Directory.CreateDirectory(workFolder);
        var id = CachePackageName.Id("Micro");
        var version = CachePackageName.Version(Fingerprint);
        var package = Path.Combine(workFolder, $"{id}.{version}.nupkg");
        using (var stream = File.Create(package))
        {
            CachePackageWriter.Write("Micro", Fingerprint, adapter, stream);
        }

        await feed.PushAsync(package, id, version, replace, CancellationToken.None);
    }

    private static async Task<bool> Download(CacheFeed feed, string path)
    {
        using var stream = File.Create(path);
        return await feed.TryDownloadAsync(CachePackageName.Id("Micro"), CachePackageName.Version(Fingerprint), stream, CancellationToken.None);
    }

    /// <summary>Flips the first byte of one entry, leaving the zip itself readable.</summary>
    internal static void Tamper(string package, string entryName)
    {
        using var zip = ZipFile.Open(package, ZipArchiveMode.Update);
        var entry = zip.GetEntry(entryName)!;
        byte[] bytes;
        using (var read = entry.Open())
        using (var copy = new MemoryStream())
        {
            read.CopyTo(copy);
            bytes = copy.ToArray();
        }

        bytes[0] ^= 0xFF;
        entry.Delete();
        using var write = zip.CreateEntry(entryName).Open();
        write.Write(bytes);
    }
}
