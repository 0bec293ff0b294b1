using LoraBuild.Core.Packages;

namespace LoraBuild.Engine.Native;

/// <summary>libtorch packages in the NuGet global packages folder: whether one is there, and fetching it when not.</summary>
internal static class LibTorchFetcher
{
    public static string GlobalPackagesFolder(string root) => GlobalPackageInstaller.GlobalPackagesFolder(root);

    public static bool IsInstalled(LibTorchPackage package, string globalPackagesFolder) =>
        GlobalPackageInstaller.IsInstalled(package.Id, package.Version, globalPackagesFolder)
        && File.Exists(Path.Combine(package.NativeFolderIn(globalPackagesFolder), "libtorch.so"));

    /// <returns>The feed it came from.</returns>
    public static string Fetch(LibTorchPackage package, string root, TextWriter progress) =>
        GlobalPackageInstaller.Fetch(
            new PackageToInstall(package.Id, package.Version, package.Sha512),
            root,
            progress,
            $"Restore a project that references {package.Id}, add a feed that serves it, or set {LibTorchChoice.Variable}.");
}
