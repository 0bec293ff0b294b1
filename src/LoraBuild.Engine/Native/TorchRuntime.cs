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

    /// <summary>Whether libtorch has been loaded (successfully) in this process.</summary>
    public static bool IsLoaded => s_report.IsValueCreated;

    /// <summary>
    /// Where lines about fetching libtorch go: standard error. A <see cref="TextWriter"/> and not a callback, because the
    /// fetch runs inside the engine's module initializer, where engine code on another thread would wait for it forever.
    /// </summary>
    private static TextWriter Progress => Console.Error;

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
            "nor in the NuGet packages folder. Restore the project (TorchSharp) and run it from its build output.");
        var libStdCxx = NativeLibraryLocator.FindSystemLibStdCxx();

        var missing = MissingVersions(libTorchSharp, libStdCxx);
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

        var libTorch = LocateLibTorch(Path.GetDirectoryName(libTorchSharp)!);
        if (missing.Count == 0 && libTorch.Folder == Path.GetDirectoryName(libTorchSharp))
        {
            InitializeTorch(libTorchSharp);
            return new NativeRuntimeReport(NativeFixState.NotNeeded, libTorchSharp, libTorchSharp, libStdCxx, []) { LibTorch = libTorch };
        }

        // libLibTorchSharp finds libtorch through its RUNPATH ($ORIGIN): a copy (patched where the system's libstdc++
        // lacks versions it requires) is loaded from a folder that links libtorch's files beside it.
        var copy = LibTorchSharpPatcher.WritePatchedCopy(libTorchSharp, libTorch.Folder, missing);
        try
        {
            NativeLibrary.Load(copy);
        }
        catch (DllNotFoundException e)
        {
            throw new LoraException(NativeErrorCodes.LoadFailed, $"The copy of libLibTorchSharp failed to load: {e.Message}", copy, e);
        }

        InitializeTorch(copy);
        return new NativeRuntimeReport(missing.Count == 0 ? NativeFixState.NotNeeded : NativeFixState.Patched, libTorchSharp, copy, libStdCxx, [.. missing.Select(m => m.Version)])
        {
            LibTorch = libTorch,
        };
    }

    /// <summary>
    /// libtorch beside libLibTorchSharp when an application carries it; otherwise the package <see cref="LibTorchChoice"/>
    /// picks, from the NuGet global packages folder, fetched there first when it is missing. A CUDA choice that no feed
    /// supplies falls back to the CPU build unless it was forced.
    /// </summary>
    private static LibTorchLocation LocateLibTorch(string libTorchSharpDirectory)
    {
        if (NativeLibraryLocator.FindLibTorchBeside(libTorchSharpDirectory) is { } beside)
        {
            return new LibTorchLocation(beside, null, "beside the application", "carried by the application");
        }

        var root = Directory.GetCurrentDirectory();
        var packages = LibTorchFetcher.GlobalPackagesFolder(root);
        var choice = LibTorchChoice.Decide(NativeLibraryLocator.RuntimeIdentifier);
        try
        {
            return Install(choice, packages, root);
        }
        catch (LoraException e) when (choice.Package.IsCuda && Environment.GetEnvironmentVariable(LibTorchChoice.Variable) is null or "" or "auto")
        {
            Progress.WriteLine($"LoraBuild: {choice.Package} is not available ({e.Message}); using the CPU build.");
            return Install(new LibTorchChoice(LibTorchPackage.Cpu(NativeLibraryLocator.RuntimeIdentifier), $"{choice.Reason}, but {choice.Package} is not available"), packages, root);
        }
    }

    private static LibTorchLocation Install(LibTorchChoice choice, string packages, string root)
    {
        if (LibTorchFetcher.IsInstalled(choice.Package, packages))
        {
            return new LibTorchLocation(choice.Package.NativeFolderIn(packages), choice.Package, "NuGet packages folder", choice.Reason);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var source = LibTorchFetcher.Fetch(choice.Package, root, Progress);
        return new LibTorchLocation(choice.Package.NativeFolderIn(packages), choice.Package, $"fetched from {source} in {clock.Elapsed.TotalSeconds:F0} s", choice.Reason);
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
