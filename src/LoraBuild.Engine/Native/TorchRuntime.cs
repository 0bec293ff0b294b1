using System.Runtime.InteropServices;
using LoraBuild.Core.Diagnostics;
using TorchSharp;

namespace LoraBuild.Engine.Native;

/// <summary>
/// Loads libtorch through TorchSharp, first working around a system libstdc++ older than the one
/// libLibTorchSharp was linked against (Debian 12, Ubuntu 22.04). Call <see cref="EnsureLoaded"/> before
/// the first torch call; it is cheap after the first time and safe from any thread.
/// </summary>
public static class TorchRuntime
{
    private const string LibStdCxxFile = "libstdc++.so.6";
    private static readonly Lazy<NativeRuntimeReport> s_report = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static NativeRuntimeReport EnsureLoaded() => s_report.Value;

    private static NativeRuntimeReport Load()
    {
        ThreadingEnvironment.Apply();
        if (!OperatingSystem.IsLinux())
        {
            InitializeTorch(null);
            return new NativeRuntimeReport(NativeFixState.NotApplicable, null, null, null, []);
        }

        var libTorchSharp = NativeLibraryLocator.FindLibTorchSharp() ?? throw new LoraException(
            NativeErrorCodes.LibTorchSharpNotFound,
            $"{NativeLibraryLocator.LibTorchSharpFileName} was found neither beside the application ({AppContext.BaseDirectory}) " +
            "nor in the NuGet packages folder. Restore the project (TorchSharp-cpu) and run it from its build output.");
        var libStdCxx = NativeLibraryLocator.FindSystemLibStdCxx();

        var missing = MissingVersions(libTorchSharp, libStdCxx);
        if (missing.Count == 0)
        {
            InitializeTorch(libTorchSharp);
            return new NativeRuntimeReport(NativeFixState.NotNeeded, libTorchSharp, libTorchSharp, libStdCxx, []);
        }

        var image = ElfImage.Read(libTorchSharp);
        var used = missing.Where(m => image.IsVersionUsedByRelocation(m.VersionIndex)).Select(m => m.Version).ToList();
        if (used.Count > 0)
        {
            throw new LoraException(
                NativeErrorCodes.LibStdCxxTooOld,
                $"libLibTorchSharp needs {string.Join(", ", used)} from {LibStdCxxFile}, and the system's ({libStdCxx}) is older. " +
                "Install a libstdc++6 from GCC 13 or newer (for example from your distribution's backports).",
                libTorchSharp);
        }

        var libTorchDirectory = NativeLibraryLocator.FindLibTorchDirectory(Path.GetDirectoryName(libTorchSharp)!) ?? throw new LoraException(
            NativeErrorCodes.LibTorchSharpNotFound,
            "libtorch.so was not found beside libLibTorchSharp or in the NuGet packages folder (package libtorch-cpu-" +
            NativeLibraryLocator.RuntimeIdentifier + ").",
            libTorchSharp);
        var patched = LibTorchSharpPatcher.WritePatchedCopy(libTorchSharp, libTorchDirectory, missing);
        try
        {
            NativeLibrary.Load(patched);
        }
        catch (DllNotFoundException e)
        {
            throw new LoraException(NativeErrorCodes.LoadFailed, $"The patched libLibTorchSharp failed to load: {e.Message}", patched, e);
        }

        InitializeTorch(patched);
        return new NativeRuntimeReport(NativeFixState.Patched, libTorchSharp, patched, libStdCxx, [.. missing.Select(m => m.Version)]);
    }

    /// <summary>The libstdc++ versions libLibTorchSharp requires (not weakly) that the system library does not define.</summary>
    internal static List<ElfVersionRequirement> MissingVersions(string libTorchSharp, string? libStdCxx) =>
        libStdCxx is null ? [] : MissingVersions(ElfImage.Read(libTorchSharp).VersionRequirements(), ElfImage.Read(libStdCxx).VersionDefinitions());

    internal static List<ElfVersionRequirement> MissingVersions(IEnumerable<ElfVersionRequirement> required, IReadOnlySet<string> defined) =>
        [.. required.Where(r => r.File == LibStdCxxFile && !r.IsWeak && !defined.Contains(r.Version))];

    private static void InitializeTorch(string? location)
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is not LoraException)
        {
            throw new LoraException(
                NativeErrorCodes.LoadFailed,
                $"libtorch failed to initialize: {(e.InnerException ?? e).Message}",
                location,
                e);
        }
    }
}
