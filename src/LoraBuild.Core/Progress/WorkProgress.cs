namespace LoraBuild.Core.Progress;

/// <summary>How far a stage of long work has come, in its own units (samples answered, batches scored, bytes hashed).</summary>
/// <param name="Done">Units finished so far.</param>
/// <param name="Total">Units in the whole stage.</param>
public readonly record struct WorkProgress(long Done, long Total)
{
    /// <summary>The finished share, 0 to 1 (1 for a stage with nothing to do).</summary>
    public double Fraction => Total <= 0 ? 1 : Math.Clamp(Done / (double)Total, 0, 1);

    /// <summary>The time left at the mean pace so far, or null before anything finished.</summary>
    public TimeSpan? Remaining(TimeSpan elapsed) =>
        Done <= 0 || Total <= 0 ? null : TimeSpan.FromSeconds(elapsed.TotalSeconds * Math.Max(0, Total - Done) / Done);
}
