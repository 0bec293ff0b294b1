namespace LoraBuild.Fuzz;

/// <summary>What one target's run counted.</summary>
internal sealed class FuzzResult(string target)
{
    public string Target { get; } = target;

    public long Inputs { get; set; }

    public long CodedErrors { get; set; }

    public long Successes { get; set; }

    public long Crashes { get; set; }

    public long Hangs { get; set; }

    public long AllocationBlowUps { get; set; }

    /// <summary>The most bytes one input allocated, divided by its size.</summary>
    public double MaxAllocationRatio { get; set; }

    public long MaxAllocatedBytes { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>Distinct crash kinds (exception type and throwing method) with the first input's file.</summary>
    public SortedDictionary<string, string> CrashKinds { get; } = new(StringComparer.Ordinal);

    public bool Clean => Crashes == 0 && Hangs == 0 && AllocationBlowUps == 0;
}
