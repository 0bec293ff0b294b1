using System.Runtime.InteropServices;

namespace LoraBuild.Engine.Native;

/// <summary>
/// Tunes glibc's allocator, which libtorch's CPU tensors come from. By default glibc maps every large block afresh
/// and unmaps it on free, so each step's activations and each NF4 dequantization touch brand-new pages, and a page
/// fault per 4 KiB dominated the cost: dequantizing a 2048 × 5504 weight took 80–150 ms that way and 10 ms with
/// blocks up to 32 MiB kept in the heap for reuse (measured here, 2 cores). Nothing happens off glibc.
/// </summary>
internal static partial class NativeHeap
{
    private const int TrimThresholdOption = -1; // M_TRIM_THRESHOLD
    private const int MmapThresholdOption = -3; // M_MMAP_THRESHOLD

    /// <summary>Blocks up to this size come from the heap and are reused; the most glibc allows on 64-bit.</summary>
    private const int MmapThresholdBytes = 32 << 20;

    /// <summary>Free memory at the heap's top is given back only beyond this much, so steady-state steps do not map and unmap.</summary>
    private const int TrimThresholdBytes = 256 << 20;

    /// <summary>Whether the allocator was tuned (false off Linux, off glibc, or when glibc refused).</summary>
    public static bool Tuned { get; private set; }

    /// <summary>Set to <c>default</c> to leave glibc's allocator as it is (to compare, or to rule the tuning out).</summary>
    public const string SwitchVariable = "LORABUILD_NATIVE_HEAP";

    /// <summary>The value of <see cref="SwitchVariable"/> in a process started by <see cref="ExactAllocationHeap"/>.</summary>
    public const string ExactAllocationsValue = "exact";

    /// <summary>How this process's allocator is set up: one of <see cref="HeapModes"/>.</summary>
    public static string Mode => Tuned ? HeapModes.Tuned : ExactAllocationHeap.IsActive ? HeapModes.ExactAllocations : HeapModes.Default;

    /// <summary>Keeps blocks up to 32 MiB in the heap for reuse instead of mapping and unmapping them.</summary>
    public static void Tune()
    {
        var setting = Environment.GetEnvironmentVariable(SwitchVariable);
        if (!OperatingSystem.IsLinux() || setting is HeapModes.Default or ExactAllocationsValue)
        {
            return;
        }

        try
        {
            Tuned = Mallopt(MmapThresholdOption, MmapThresholdBytes) == 1 && Mallopt(TrimThresholdOption, TrimThresholdBytes) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            // Not glibc (musl has no mallopt): its allocator is left as it is.
        }
        catch (DllNotFoundException)
        {
        }
    }

    /// <summary>
    /// Gives free heap memory back to the system (glibc <c>malloc_trim</c>), e.g. after full weights were replaced by
    /// their 4-bit codes, so the process's resident memory, and what is measured after it, no longer holds them.
    /// </summary>
    public static void ReleaseFreeMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = MallocTrim(0);
        }
        catch (EntryPointNotFoundException)
        {
        }
        catch (DllNotFoundException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int Mallopt(int option, int value);

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
