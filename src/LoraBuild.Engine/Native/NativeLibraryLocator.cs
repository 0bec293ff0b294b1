using System.Runtime.InteropServices;

namespace LoraBuild.Engine.Native;

/// <summary>Finds the native files TorchSharp will load: beside the app (build output, tests) or in the NuGet packages folder (tools).</summary>
internal static class NativeLibraryLocator
{
    public const string LibTorchSharpFileName = "libLibTorchSharp.so";
    private const string LibTorchFileName = "libtorch.so";

    public static string RuntimeIdentifier =>
        "linux-" + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    public static string? FindLibTorchSharp() =>
        CandidateDirectories("torchsharp").Select(d => Path.Combine(d, LibTorchSharpFileName)).FirstOrDefault(File.Exists);

    /// <summary>libtorch.so beside libLibTorchSharp (an application that references a libtorch package itself, the tests), or null.</summary>
    public static string? FindLibTorchBeside(string libTorchSharpDirectory) =>
        File.Exists(Path.Combine(libTorchSharpDirectory, LibTorchFileName)) ? libTorchSharpDirectory : null;

    /// <summary>The system libstdc++ the dynamic linker will pick: the one already mapped, else the usual folders.</summary>
    public static string? FindSystemLibStdCxx()
    {
        const string name = "libstdc++.so.6";
        var mapped = MappedLibrary(name);
        if (mapped is not null)
        {
            return mapped;
        }

        var searchPath = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib"]);
        return searchPath.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }

    private static string? MappedLibrary(string name)
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length >= 6 && Path.GetFileName(fields[5]) == name)
                .Select(fields => fields[5])
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<string> CandidateDirectories(string packageId)
    {
        var baseDirectory = AppContext.BaseDirectory;
        yield return baseDirectory;
        yield return Path.Combine(baseDirectory, "runtimes", RuntimeIdentifier, "native");

        var packageFolder = Path.Combine(NuGetPackagesFolder(), packageId);
        if (Directory.Exists(packageFolder))
        {
            foreach (var version in Directory.GetDirectories(packageFolder).OrderDescending(StringComparer.Ordinal))
            {
                yield return Path.Combine(version, "runtimes", RuntimeIdentifier, "native");
            }
        }
    }

    internal static string NuGetPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
