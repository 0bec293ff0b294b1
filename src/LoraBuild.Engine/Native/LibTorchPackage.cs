namespace LoraBuild.Engine.Native;

/// <summary>
/// A NuGet package holding libtorch's native files for one platform and flavour, as TorchSharp's packages publish them
/// (<c>libtorch-cpu-linux-x64</c>, <c>libtorch-cuda-12.8-linux-x64</c>, …), in the libtorch version this TorchSharp was
/// built against.
/// </summary>
/// <param name="Id">The package id.</param>
/// <param name="Version">The libtorch version.</param>
/// <param name="RuntimeIdentifier">The platform whose <c>runtimes/&lt;rid&gt;/native</c> folder holds the libraries.</param>
/// <param name="Sha512">The base64 SHA-512 of the .nupkg as nuget.org serves it, when known: a fetched package must match it.</param>
public sealed record LibTorchPackage(string Id, string Version, string RuntimeIdentifier, string? Sha512)
{
    /// <summary>The libtorch TorchSharp 0.107.0 is built against (the version its TorchSharp-cpu package depends on).</summary>
    public const string LibTorchVersion = "2.10.0";

    /// <summary>libtorch-cpu-linux-x64 2.10.0's .nupkg, as restored from nuget.org (its <c>.nupkg.sha512</c>).</summary>
    private const string CpuLinuxX64Sha512 = "XjuaFwqqvwstyeUWyz/xtfhODesmagoPKO7T0VRmiW+r0pJwsXB/vHydA7it9xge36PSXW1qLyRRzvM3J8i9UA==";

    public static LibTorchPackage Cpu(string runtimeIdentifier) =>
        new($"libtorch-cpu-{runtimeIdentifier}", LibTorchVersion, runtimeIdentifier, runtimeIdentifier == "linux-x64" ? CpuLinuxX64Sha512 : null);

    /// <summary>The CUDA 12.8 build (TorchSharp-cuda-linux's libtorch); never fetched or run on this project's machines.</summary>
    public static LibTorchPackage Cuda(string runtimeIdentifier) => new($"libtorch-cuda-12.8-{runtimeIdentifier}", LibTorchVersion, runtimeIdentifier, null);

    public bool IsCuda => Id.Contains("-cuda-", StringComparison.Ordinal);

    /// <summary>Where NuGet extracts it in a global packages folder (ids are lower-cased there).</summary>
    public string FolderIn(string globalPackagesFolder) => Path.Combine(globalPackagesFolder, Id.ToLowerInvariant(), Version);

    /// <summary>The folder of native libraries inside <see cref="FolderIn"/>.</summary>
    public string NativeFolderIn(string globalPackagesFolder) => Path.Combine(FolderIn(globalPackagesFolder), "runtimes", RuntimeIdentifier, "native");

    public override string ToString() => $"{Id} {Version}";
}
