namespace LoraBuild.Engine.Native;

/// <summary>
/// Starts processes whose resident high-water mark is the peak of live memory, the CPU counterpart of CUDA's
/// <c>max_memory_allocated</c>. A tuned heap (<see cref="NativeHeap"/>) keeps freed blocks for reuse, so its peak also
/// counts memory no tensor holds (on the QLoRA benchmark model about as much again as the live peak); with every block of
/// 128 KiB or more mapped on its own and unmapped when freed, the mark follows the live tensors instead, at the price of
/// fresh pages on every allocation (steps 2.5–4× slower, so it is for measuring, not training). glibc reads its tunables
/// once at start-up, which is why this can only be arranged for a child process.
/// </summary>
public static class ExactAllocationHeap
{
    /// <summary>Blocks of this size or more get their own mapping; glibc's own starting threshold.</summary>
    public const int MmapThresholdBytes = 128 << 10;

    private const string TunablesVariable = "GLIBC_TUNABLES";

    /// <summary>
    /// The tunables that do it: the fixed mapping threshold (which also stops glibc from raising it as blocks are freed),
    /// and transparent huge pages for the mappings, so that a fresh 4 MiB activation faults in twice rather than a thousand times.
    /// </summary>
    private static readonly string s_tunables = $"glibc.malloc.mmap_threshold={MmapThresholdBytes}:glibc.malloc.hugetlb=1";

    /// <summary>Whether child processes can be started this way here (Linux; glibc ignores the setting elsewhere).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>Whether this process was started this way.</summary>
    public static bool IsActive =>
        IsSupported
        && Environment.GetEnvironmentVariable(NativeHeap.SwitchVariable) == NativeHeap.ExactAllocationsValue
        && (Environment.GetEnvironmentVariable(TunablesVariable) ?? string.Empty).Contains("glibc.malloc.mmap_threshold=", StringComparison.Ordinal);

    /// <summary>Sets <paramref name="environment"/> (a child's) so the child starts with the exact-allocation heap.</summary>
    public static void Apply(IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment.TryGetValue(TunablesVariable, out var existing);
        environment[TunablesVariable] = Tunables(existing);
        environment[NativeHeap.SwitchVariable] = NativeHeap.ExactAllocationsValue;
    }

    /// <summary><paramref name="existing"/> tunables (the user's, kept) with the mapping ones after them.</summary>
    public static string Tunables(string? existing) =>
        string.IsNullOrEmpty(existing) ? s_tunables : $"{existing}:{s_tunables}";
}
