using System.Security.Cryptography;
using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.IO;

namespace LoraBuild.Engine.Native;

/// <summary>
/// Writes a copy of libLibTorchSharp whose unmet, unused symbol-version needs are marked weak
/// (<c>VER_FLG_WEAK</c>), into a cache folder, with links to its libtorch siblings beside it since its
/// RUNPATH is <c>$ORIGIN</c>. The original file in the build output or NuGet cache is never changed.
/// </summary>
internal static class LibTorchSharpPatcher
{
    public static string WritePatchedCopy(string original, string libTorchDirectory, IReadOnlyList<ElfVersionRequirement> toWeaken)
    {
        var bytes = File.ReadAllBytes(original);
        var key = Convert.ToHexStringLower(SHA256.HashData(
            [.. bytes, .. System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(libTorchDirectory))]))[..16];

        Exception? lastFailure = null;
        foreach (var root in CacheRoots())
        {
            try
            {
                var folder = Path.Combine(root, key);
                Directory.CreateDirectory(folder);
                LinkSiblings(libTorchDirectory, folder);
                var patched = Path.Combine(folder, NativeLibraryLocator.LibTorchSharpFileName);
                if (!File.Exists(patched) || File.ReadAllBytes(patched) is var existing && !existing.AsSpan().SequenceEqual(Patch(bytes, toWeaken)))
                {
                    WriteAtomically(patched, Patch(bytes, toWeaken));
                }

                return patched;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lastFailure = e;
            }
        }

        throw new LoraException(
            NativeErrorCodes.CacheNotWritable,
            $"Could not write the patched libLibTorchSharp to any cache folder ({string.Join(", ", CacheRoots())}). " +
            "Set LORABUILD_NATIVE_CACHE to a writable folder.",
            original,
            lastFailure);
    }

    private static byte[] Patch(byte[] original, IReadOnlyList<ElfVersionRequirement> toWeaken)
    {
        var patched = (byte[])original.Clone();
        foreach (var requirement in toWeaken)
        {
            var flags = (ushort)(requirement.Flags | ElfVersionRequirement.WeakFlag);
            patched[requirement.FlagsFileOffset] = (byte)(flags & 0xff);
            patched[requirement.FlagsFileOffset + 1] = (byte)(flags >> 8);
        }

        return patched;
    }

    private static void LinkSiblings(string libTorchDirectory, string folder)
    {
        foreach (var sibling in Directory.EnumerateFiles(libTorchDirectory, "*.so*"))
        {
            var name = Path.GetFileName(sibling);
            if (name == NativeLibraryLocator.LibTorchSharpFileName)
            {
                continue;
            }

            var link = Path.Combine(folder, name);
            var target = Path.GetFullPath(sibling);
            var current = File.Exists(link) || IsLink(link) ? new FileInfo(link).LinkTarget : null;
            if (current == target)
            {
                continue;
            }

            var temporary = link + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.CreateSymbolicLink(temporary, target);
            File.Move(temporary, link, overwrite: true);
        }
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    private static void WriteAtomically(string path, byte[] content)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }

    private static IEnumerable<string> CacheRoots()
    {
        if (Environment.GetEnvironmentVariable("LORABUILD_NATIVE_CACHE") is { Length: > 0 } configured)
        {
            yield return configured;
        }

        yield return Path.Combine(UserCache.Folder, "native");
        yield return Path.Combine(Path.GetTempPath(), "lorabuild-native-" + Environment.UserName);
    }
}
