using System.IO.Compression;
using System.Security.Cryptography;
using LoraBuild.Core.Adapters;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Core.Packaging;

/// <summary>
/// Finds an adapter folder from what a consumer has at hand: the adapter folder itself (as a <c>LoraAdapterReference</c>'s
/// <c>Path</c>, or <c>lora/&lt;Adapter&gt;/</c> in an output folder), an extracted package (a folder holding
/// <c>lora/</c>, such as one in the NuGet packages folder), or a <c>.nupkg</c> file, whose adapters are extracted once
/// into a cache folder keyed by the package's SHA-256.
/// </summary>
public static class AdapterLocator
{
    /// <summary>Where adapters from <c>.nupkg</c> files are extracted by default: the user cache's <c>packages/</c> folder.</summary>
    public static string DefaultExtractionFolder { get; } = Path.Combine(UserCache.Folder, "packages");

    /// <summary>The adapter folder <paramref name="location"/> stands for (a full path).</summary>
    /// <param name="location">An adapter folder, a folder holding <c>lora/</c>, or a <c>.nupkg</c> file.</param>
    /// <param name="adapterName">Which adapter of a package; may be null when the package holds only one.</param>
    /// <param name="extractionFolder">Where a <c>.nupkg</c>'s adapters go; <see cref="DefaultExtractionFolder"/> when null.</param>
    /// <exception cref="LoraException">
    /// LORA4110: nothing is at <paramref name="location"/>; LORA4111: it holds no adapter, or not <paramref name="adapterName"/>;
    /// LORA4112: it holds several and no name was given; LORA4113: the <c>.nupkg</c> cannot be read.
    /// </exception>
    public static string Resolve(string location, string? adapterName = null, string? extractionFolder = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        var fullPath = Path.GetFullPath(location);
        if (File.Exists(fullPath))
        {
            if (!fullPath.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase))
            {
                throw new LoraException(PackagingErrorCodes.LocationNotFound, "An adapter location must be a folder or a .nupkg file.", location);
            }

            fullPath = Extract(fullPath, extractionFolder ?? DefaultExtractionFolder);
        }
        else if (!Directory.Exists(fullPath))
        {
            throw new LoraException(PackagingErrorCodes.LocationNotFound, "No adapter folder or package is here.", location);
        }

        if (File.Exists(Path.Combine(fullPath, AdapterConfigJson.FileName)))
        {
            return fullPath;
        }

        return Choose(fullPath, ListAdapters(fullPath), adapterName, location);
    }

    /// <summary>The names of the adapters under <c>lora/</c> in a package folder, in ordinal order; empty when there are none.</summary>
    public static IReadOnlyList<string> ListAdapters(string packageFolder)
    {
        var adapters = Path.Combine(packageFolder, AdapterPackageLayout.AdaptersFolder);
        return Directory.Exists(adapters)
            ? [.. Directory.EnumerateDirectories(adapters)
                .Where(folder => File.Exists(Path.Combine(folder, AdapterConfigJson.FileName)))
                .Select(folder => Path.GetFileName(folder))
                .Order(StringComparer.Ordinal)]
            : [];
    }

    private static string Choose(string packageFolder, IReadOnlyList<string> names, string? adapterName, string location)
    {
        if (names.Count == 0)
        {
            throw new LoraException(
                PackagingErrorCodes.AdapterNotInPackage,
                $"Neither an adapter folder ({AdapterConfigJson.FileName}) nor a package with adapters under {AdapterPackageLayout.AdaptersFolder}/.",
                location);
        }

        if (adapterName is null)
        {
            return names.Count == 1
                ? Path.Combine(packageFolder, AdapterPackageLayout.AdaptersFolder, names[0])
                : throw new LoraException(
                    PackagingErrorCodes.AdapterAmbiguous,
                    $"The package holds several adapters ({string.Join(", ", names)}); name the one to load.",
                    location);
        }

        var match = names.FirstOrDefault(name => string.Equals(name, adapterName, StringComparison.OrdinalIgnoreCase))
            ?? throw new LoraException(
                PackagingErrorCodes.AdapterNotInPackage,
                $"The package has no adapter '{adapterName}'; it holds {string.Join(", ", names)}.",
                location);
        return Path.Combine(packageFolder, AdapterPackageLayout.AdaptersFolder, match);
    }

    /// <summary>Extracts the <c>lora/</c> entries of <paramref name="package"/> once, and returns the folder that holds them.</summary>
    private static string Extract(string package, string extractionFolder)
    {
        string sha256;
        try
        {
            using var stream = File.OpenRead(package);
            sha256 = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LoraException(PackagingErrorCodes.PackageUnreadable, $"The package cannot be read: {e.Message}", package, e);
        }

        var target = Path.Combine(Path.GetFullPath(extractionFolder), sha256);
        if (Directory.Exists(target))
        {
            // Only a finished extraction is ever renamed to this name, and the name is the content's hash.
            return target;
        }

        Directory.CreateDirectory(extractionFolder);
        var staging = AtomicFile.TemporaryPathBeside(target);
        try
        {
            ExtractAdapters(package, staging);
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process extracted the same package first; its copy is as good as ours.
            }

            return target;
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    private static void ExtractAdapters(string package, string destination)
    {
        Directory.CreateDirectory(destination);
        try
        {
            using var archive = ZipFile.OpenRead(package);
            foreach (var entry in archive.Entries)
            {
                var parts = entry.FullName.Split('/');
                if (parts.Length != 3 || parts[0] != AdapterPackageLayout.AdaptersFolder || parts[2].Length == 0)
                {
                    continue;
                }

                AdapterPackageLayout.ValidateAdapterName(parts[1], $"{package}!{entry.FullName}");
                AdapterPackageLayout.ValidateAdapterName(parts[2], $"{package}!{entry.FullName}");
                CompressionBomb.Refuse(entry, $"{package}!{entry.FullName}", PackagingErrorCodes.PackageUnreadable);
                var folder = Path.Combine(destination, parts[0], parts[1]);
                Directory.CreateDirectory(folder);
                entry.ExtractToFile(Path.Combine(folder, parts[2]));
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new LoraException(PackagingErrorCodes.PackageUnreadable, $"The package cannot be read as a zip archive: {e.Message}", package, e);
        }
        catch (LoraException e) when (e.Code == PackagingErrorCodes.AdapterNameInvalid)
        {
            throw new LoraException(PackagingErrorCodes.PackageUnreadable, $"The package has an entry that cannot be extracted safely: {e.Message}", e.Location, e);
        }
    }
}
