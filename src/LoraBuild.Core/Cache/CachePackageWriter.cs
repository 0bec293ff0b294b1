using System.IO.Compression;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Packaging;
using NuGet.Packaging;
using NuGet.Packaging.Core;
using NuGet.Versioning;

namespace LoraBuild.Core.Cache;

/// <summary>
/// Packs a trained adapter folder as a cache entry: the files a training writes (<see cref="AdapterPackageLayout.RequiredFiles"/>
/// and whichever <see cref="AdapterPackageLayout.ReportFiles"/> it wrote) under <c>adapter/</c>, and their
/// <see cref="CacheEntryManifest"/>. Deterministic: the same folder packs to the same bytes.
/// </summary>
public static class CachePackageWriter
{
    /// <summary>The package type, so no project can take a cache entry as a dependency by mistake.</summary>
    public const string PackageTypeName = "LoraBuildCache";

    /// <summary>
    /// Every entry's time. NuGet 8.0's PackageBuilder, deterministic or not, stamps entries with the clock: two packs of
    /// one folder differed in that field (CacheFeedTests caught it across a two-second boundary).
    /// </summary>
    private static readonly DateTimeOffset EntryTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <exception cref="LoraException">LORA4303: a file a training always writes is missing from the folder.</exception>
    public static void Write(string adapterName, string fingerprint, string adapterDirectory, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var missing = AdapterPackageLayout.RequiredFiles.Where(f => !File.Exists(Path.Combine(adapterDirectory, f))).ToList();
        if (missing.Count > 0)
        {
            throw new LoraException(CacheErrorCodes.PushFailed, $"The adapter folder lacks {string.Join(", ", missing)}, so it cannot be cached.", adapterDirectory);
        }

        var files = AdapterPackageLayout.RequiredFiles.Concat(AdapterPackageLayout.ReportFilesIn(adapterDirectory)).ToList();
        var manifest = CacheEntryManifest.Create(adapterName, fingerprint, adapterDirectory, files);
        var builder = new PackageBuilder(deterministic: true)
        {
            Id = CachePackageName.Id(adapterName),
            Version = NuGetVersion.Parse(CachePackageName.Version(fingerprint)),
            Description = $"LoraBuild training cache: adapter '{adapterName}', fingerprint {fingerprint}.",
        };
        builder.Authors.Add("LoraBuild");
        builder.PackageTypes.Add(new PackageType(PackageTypeName, PackageType.EmptyVersion));
        foreach (var file in files)
        {
            builder.Files.Add(new PhysicalPackageFile { SourcePath = Path.Combine(adapterDirectory, file), TargetPath = $"{CacheEntryManifest.AdapterFolder}/{file}" });
        }

        var manifestBytes = manifest.Serialize();
        builder.Files.Add(new PhysicalPackageFile(new MemoryStream(manifestBytes)) { TargetPath = CacheEntryManifest.FileName });
        using var packed = new MemoryStream();
        builder.Save(packed);
        using (var zip = new ZipArchive(packed, ZipArchiveMode.Update, leaveOpen: true))
        {
            foreach (var entry in zip.Entries)
            {
                entry.LastWriteTime = EntryTime;
            }
        }

        packed.Position = 0;
        packed.CopyTo(destination);
    }
}
