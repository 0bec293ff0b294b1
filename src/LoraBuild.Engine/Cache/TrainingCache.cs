using System.Diagnostics;
using LoraBuild.Core.Cache;
using LoraBuild.Core.Manifests;
using LoraBuild.Engine.Jobs;

namespace LoraBuild.Engine.Cache;

/// <summary>
/// Restores a trained adapter from a <see cref="CacheFeed"/>, or pushes one to it. A restore puts the verified files in
/// place the way a training does (<see cref="OutputFolder"/>: written beside, then swapped in), so the folder ends up as a
/// local training would have left it; a failed check leaves the old folder untouched.
/// </summary>
public static class TrainingCache
{
    /// <summary>Restores <paramref name="outputDirectory"/> from the entry for <paramref name="fingerprint"/>.</summary>
    /// <returns>How long it took; null when the feed has no entry for it.</returns>
    /// <exception cref="Core.Diagnostics.LoraException">LORA4301: the entry is corrupt or another adapter's; LORA4302: the feed is unreachable.</exception>
    public static TimeSpan? TryRestore(CacheFeed feed, string adapterName, string fingerprint, string outputDirectory, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var clock = Stopwatch.StartNew();
        var package = TemporaryPackagePath(outputDirectory);
        try
        {
            var id = CachePackageName.Id(adapterName);
            var version = CachePackageName.Version(fingerprint);
            bool found;
            using (var stream = File.Create(package))
            {
                found = feed.TryDownloadAsync(id, version, stream, cancellation).GetAwaiter().GetResult();
            }

            if (!found)
            {
                return null;
            }

            OutputFolder.Replace(outputDirectory, staging => CachePackageReader.ExtractVerified(package, $"{id} {version} on {feed.Description}", fingerprint, staging));
            return clock.Elapsed;
        }
        finally
        {
            File.Delete(package);
        }
    }

    /// <summary>Packs the trained adapter in <paramref name="outputDirectory"/> and pushes it.</summary>
    /// <param name="replace">Delete an entry of the same version first (it was found corrupt).</param>
    /// <returns>The package id and version pushed.</returns>
    /// <exception cref="Core.Diagnostics.LoraException">LORA4303: the folder is incomplete, or the feed refused the push.</exception>
    public static string Push(CacheFeed feed, string adapterName, string outputDirectory, bool replace, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var fingerprint = TrainingManifestJson.ReadFile(Path.Combine(outputDirectory, TrainingManifest.FileName)).Fingerprint;
        var id = CachePackageName.Id(adapterName);
        var version = CachePackageName.Version(fingerprint);
        // PackageUpdateResource infers the identity from the file name on folder feeds, so the package gets its canonical one.
        var folder = Directory.CreateTempSubdirectory("lorabuild-cache-");
        try
        {
            var package = Path.Combine(folder.FullName, $"{id}.{version}.nupkg");
            using (var stream = File.Create(package))
            {
                CachePackageWriter.Write(adapterName, fingerprint, outputDirectory, stream);
            }

            feed.PushAsync(package, id, version, replace, cancellation).GetAwaiter().GetResult();
            return $"{id} {version}";
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string TemporaryPackagePath(string outputDirectory)
    {
        var full = Path.GetFullPath(outputDirectory);
        var parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        return Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.nupkg");
    }
}
