using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Engine.Native;

/// <summary>
/// Which libtorch this machine should run, and why: <see cref="Variable"/> forces <c>cpu</c> or <c>cuda</c>; otherwise
/// (<c>auto</c>) CUDA where an NVIDIA driver is loaded, the CPU build everywhere else.
/// </summary>
/// <param name="Package">The package to use.</param>
/// <param name="Reason">Why it was chosen, in words <c>doctor</c> prints.</param>
public sealed record LibTorchChoice(LibTorchPackage Package, string Reason)
{
    public const string Variable = "LORABUILD_LIBTORCH";

    /// <summary>The file an NVIDIA kernel driver exposes while it is loaded.</summary>
    public const string NvidiaDriverFile = "/proc/driver/nvidia/version";

    /// <param name="environment">Reads a variable; null reads the process's.</param>
    /// <param name="driverPresent">Whether an NVIDIA driver is loaded; null looks at <see cref="NvidiaDriverFile"/> and for <c>nvidia-smi</c> on PATH.</param>
    /// <exception cref="LoraException">LORA5005: the variable names no flavour.</exception>
    public static LibTorchChoice Decide(string runtimeIdentifier, Func<string, string?>? environment = null, Func<string?>? driverPresent = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        driverPresent ??= FindNvidiaDriver;
        var forced = environment(Variable)?.Trim().ToLowerInvariant();
        switch (forced)
        {
            case "cpu":
                return new LibTorchChoice(LibTorchPackage.Cpu(runtimeIdentifier), $"{Variable}=cpu");
            case "cuda":
                return new LibTorchChoice(LibTorchPackage.Cuda(runtimeIdentifier), $"{Variable}=cuda");
            case null or "" or "auto":
                var driver = driverPresent();
                return driver is null
                    ? new LibTorchChoice(LibTorchPackage.Cpu(runtimeIdentifier), $"no NVIDIA driver ({NvidiaDriverFile} absent, no nvidia-smi on PATH)")
                    : new LibTorchChoice(LibTorchPackage.Cuda(runtimeIdentifier), $"an NVIDIA driver is loaded ({driver})");
            default:
                throw new LoraException(
                    NativeErrorCodes.LibTorchChoiceInvalid,
                    $"{Variable} is '{environment(Variable)}'; it can be auto (the default), cpu or cuda.",
                    Variable);
        }
    }

    private static string? FindNvidiaDriver()
    {
        if (File.Exists(NvidiaDriverFile))
        {
            return NvidiaDriverFile;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "nvidia-smi"))
            .FirstOrDefault(File.Exists);
    }
}
