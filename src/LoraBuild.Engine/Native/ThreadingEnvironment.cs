using System.Runtime.InteropServices;

namespace LoraBuild.Engine.Native;

/// <summary>
/// How libtorch's OpenMP threads wait for work, set in the process's native environment before libtorch (and its
/// libgomp) loads: libgomp reads its variables once, when it loads, and .NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the native environment. By default
/// libgomp's idle threads spin 300,000 rounds between parallel regions and take the cores another process needs (two
/// trainings at once each ran at 2% of one alone); a passive policy makes a lone run 11% slower. A spin count of 1,000
/// kept a lone run within 1% and gave each of two runs 47% (docs/benchmarks.md, "Two trainings at once"). A value the
/// user set for either variable is kept.
/// </summary>
public static partial class ThreadingEnvironment
{
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>libgomp's own knob: how long an idle thread spins before it sleeps.</summary>
    public const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>The spin count LoraBuild chooses when the user set neither variable.</summary>
    public const string DefaultSpinCount = "1000";

    /// <summary>What <see cref="Apply"/> did, for <c>doctor</c>.</summary>
    public static string Description { get; private set; } = "not applied yet";

    /// <summary>Sets the wait policy unless the environment already has one; call before libtorch loads.</summary>
    public static void Apply()
    {
        foreach (var variable in new[] { WaitPolicyVariable, SpinCountVariable })
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } chosen)
            {
                Description = $"{variable}={chosen} (set by the user)";
                return;
            }
        }

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Description = "libtorch's default (no libgomp on this operating system)";
            return;
        }

        Description = SetNative(SpinCountVariable, DefaultSpinCount) == 0
            ? $"{SpinCountVariable}={DefaultSpinCount} (LoraBuild's default: idle threads spin briefly, then sleep)"
            : $"libtorch's default ({SpinCountVariable} could not be set)";
    }

    /// <summary>
    /// Sets libtorch's intra-op threads: <paramref name="requested"/>, or else no more than the CPUs this process may
    /// use (<see cref="Environment.ProcessorCount"/> honours a container's CPU quota; libtorch counts the host's cores).
    /// </summary>
    /// <returns>The thread count now in effect.</returns>
    public static int ApplyThreadCount(int? requested)
    {
        if (requested is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(requested), requested, "A thread count must be positive.");
        }

        var count = requested ?? Math.Min(TorchSharp.torch.get_num_threads(), Environment.ProcessorCount);
        TorchSharp.torch.set_num_threads(count);
        return count;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetNative(string name, string value, int overwrite = 0);
}
