using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;
using LoraBuild.Core.Manifests;
using NuGet.Packaging;
using NuGet.Packaging.Core;

namespace LoraBuild.Core.Cache;

/// <summary>
/// Checks a downloaded cache entry and extracts its adapter files: every file must be listed in its manifest with the
/// same SHA-256, every listed file present, and both the manifest and <c>lorabuild.json</c> must carry the fingerprint
/// asked for. Anything else is <see cref="CacheErrorCodes.EntryInvalid"/>, and nothing of it is used.
/// </summary>
public static class CachePackageReader
{
    /// <param name="entry">Names the entry in warnings (its id, version and feed).</param>
    /// <exception cref="LoraException">LORA4301: the entry is unreadable, corrupt, or for another fingerprint.</exception>
    public static void ExtractVerified(string packagePath, string entry, string fingerprint, string destinationDirectory)
    {
        try
        {
            using var reader = new PackageArchiveReader(packagePath);
            Extract(reader, entry, fingerprint, destinationDirectory);
        }
        catch (Exception e) when (e is InvalidDataException or PackagingException or IOException)
        {
            throw Invalid(entry, $"it is not a readable package ({e.Message})", e);
        }
    }

    private static void Extract(PackageArchiveReader reader, string entry, string fingerprint, string destinationDirectory)
    {
        CacheEntryManifest manifest;
        using (var stream = reader.GetStream(CacheEntryManifest.FileName))
        {
            manifest = CacheEntryManifest.TryParse(stream) ?? throw Invalid(entry, $"its {CacheEntryManifest.FileName} is not readable");
        }

        if (!string.Equals(manifest.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw Invalid(entry, $"it holds fingerprint {manifest.Fingerprint}, not {fingerprint}");
        }

        var prefix = CacheEntryManifest.AdapterFolder + "/";
        var present = reader.GetFiles().Where(f => f.StartsWith(prefix, StringComparison.Ordinal)).Select(f => f[prefix.Length..]).ToHashSet(StringComparer.Ordinal);
        if (!present.SetEquals(manifest.Files.Keys))
        {
            throw Invalid(entry, $"its files ({string.Join(", ", present.Order(StringComparer.Ordinal))}) are not those its manifest lists ({string.Join(", ", manifest.Files.Keys)})");
        }

        foreach (var (name, hash) in manifest.Files)
        {
            if (name.Length == 0 || name != Path.GetFileName(name) || name is "." or "..")
            {
                throw Invalid(entry, $"it names a file '{name}' outside the adapter folder");
            }

            var destination = Path.Combine(destinationDirectory, name);
            if (reader.GetEntry(prefix + name) is { } zipEntry)
            {
                try
                {
                    CompressionBomb.Refuse(zipEntry, prefix + name, CacheErrorCodes.EntryInvalid);
                }
                catch (LoraException e)
                {
                    throw Invalid(entry, $"{name}: {e.Message}", e);
                }
            }

            using (var source = reader.GetStream(prefix + name))
            using (var target = File.Create(destination))
            {
                source.CopyTo(target);
            }

            var actual = CacheEntryManifest.Sha256(destination);
            if (!string.Equals(actual, hash, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid(entry, $"{name} has SHA-256 {actual}, but its manifest says {hash}");
            }
        }

        var written = TrainingManifestJson.TryReadFingerprint(Path.Combine(destinationDirectory, TrainingManifest.FileName));
        if (!string.Equals(written, fingerprint, StringComparison.Ordinal))
        {
            throw Invalid(entry, $"its {TrainingManifest.FileName} carries fingerprint {written ?? "(none)"}, not {fingerprint}");
        }
    }

    private static LoraException Invalid(string entry, string reason, Exception? inner = null) =>
        new(CacheErrorCodes.EntryInvalid, $"The cache entry {entry} is not used: {reason}.", null, inner);
}
