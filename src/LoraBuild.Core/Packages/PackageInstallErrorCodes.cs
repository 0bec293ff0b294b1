namespace LoraBuild.Core.Packages;

/// <summary>Failures to put a runtime package (libtorch) into the NuGet global packages folder (LORA5xxx: environment).</summary>
public static class PackageInstallErrorCodes
{
    /// <summary>A package the engine needs (libtorch for this machine) is not in the NuGet packages folder, and no configured feed supplied it.</summary>
    public const string PackageUnavailable = "LORA5006";

    /// <summary>A fetched package does not have the SHA-512 the engine expects; it was not installed.</summary>
    public const string HashMismatch = "LORA5007";
}
