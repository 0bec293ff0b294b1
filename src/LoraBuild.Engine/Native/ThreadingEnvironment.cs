using System.Runtime.InteropServices;

namespace LoraBuild.Engine.Native;

/// <summary>
/// How libtorch's OpenMP threads wait for work, set in the process's native environment before libtorch (and its
/// libgomp) loads: libgomp reads <c>OMP_WAIT_POLICY</c> once, when it loads, and .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the native environment. By default
/// libgomp's threads spin between parallel regions and take the cores another training or build needs; a passive
/// policy makes them sleep (docs/benchmarks.md, "Two trainings at once"). A value the user set is kept.
/// </summary>
public static partial class ThreadingEnvironment
{
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>The policy LoraBuild chooses when the user set none.</summary>
    public const string DefaultWaitPolicy = "PASSIVE";

    /// <summary>What <see cref="Apply"/> did, for <c>doctor</c>.</summary>
    public static string Description { get; private set; } = "not applied yet";

    /// <summary>Sets the wait policy unless the environment already has one; call before libtorch loads.</summary>
    public static void Apply()
    {
        if (Environment.GetEnvironmentVariable(WaitPolicyVariable) is { Length: > 0 } chosen)
        {
            Description = $"{WaitPolicyVariable}={chosen} (set by the user)";
            return;
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Description = "libtorch's default (no libgomp on this operating system)";
            return;
        }

        Description = SetNative(WaitPolicyVariable, DefaultWaitPolicy) == 0
            ? $"{WaitPolicyVariable}={DefaultWaitPolicy} (LoraBuild's default: idle threads sleep instead of spinning)"
            : $"libtorch's default ({WaitPolicyVariable} could not be set)";
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNative(string name, string value, int overwrite = 0);
}
