namespace LoraBuild.Engine.Training;

/// <summary>Every optimizer step of a run so far, and the totals the final metrics are made of.</summary>
public sealed class TrainingHistory
{
    private readonly List<StepRecord> _steps = [];

    public IReadOnlyList<StepRecord> Steps => _steps;

    public long TargetTokens { get; private set; }

    public long TotalTokens { get; private set; }

    /// <summary>Wall time spent in optimizer steps, summed over every call to <see cref="Trainer.Train"/>.</summary>
    public double Seconds { get; private set; }

    internal void Add(StepRecord step)
    {
        _steps.Add(step);
        TargetTokens += step.TargetTokens;
        TotalTokens += step.TotalTokens;
        Seconds += step.Seconds;
    }
}
