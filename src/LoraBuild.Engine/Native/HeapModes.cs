namespace LoraBuild.Engine.Native;

/// <summary>How a process's native heap is set up, as a benchmark result records it (<see cref="NativeHeap.Mode"/>).</summary>
public static class HeapModes
{
    /// <summary>Tuned for speed by <see cref="NativeHeap"/>: freed blocks are kept for reuse.</summary>
    public const string Tuned = "tuned";

    /// <summary>Started by <see cref="ExactAllocationHeap"/>: the resident peak is the peak of live memory.</summary>
    public const string ExactAllocations = "exact-allocations";

    /// <summary>glibc as it comes (<c>LORABUILD_NATIVE_HEAP=default</c>, or not glibc).</summary>
    public const string Default = "default";
}
