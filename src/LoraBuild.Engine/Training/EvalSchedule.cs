namespace LoraBuild.Engine.Training;

/// <summary>
/// The optimizer steps after which a run measures its held-out loss for the training history, besides before the first
/// step and after the last (which the job measures anyway for the manifest).
/// </summary>
public static class EvalSchedule
{
    /// <summary>How many intervals the run is cut into by default: 9 points inside the run, 11 with both ends.</summary>
    public const int DefaultIntervals = 10;

    /// <summary>
    /// The steps <c>round(i · totalSteps / intervals)</c> for <c>i = 1 … intervals − 1</c>, without 0, the last step and
    /// repeats: evenly spaced, and every step when the run has fewer steps than intervals.
    /// </summary>
    /// <param name="totalSteps">Optimizer steps in the run.</param>
    /// <param name="intervals">Parts to cut the run into; 0 or 1 gives no inner point.</param>
    public static IReadOnlySet<int> InnerSteps(int totalSteps, int intervals = DefaultIntervals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(intervals);
        var steps = new SortedSet<int>();
        for (var i = 1; i < intervals; i++)
        {
            var step = (int)Math.Round((double)i * totalSteps / intervals, MidpointRounding.AwayFromZero);
            if (step > 0 && step < totalSteps)
            {
                steps.Add(step);
            }
        }

        return steps;
    }
}
