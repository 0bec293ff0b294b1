namespace LoraBuild.Engine.Training;

/// <summary>Every optimizer step of a run so far, the held-out losses measured along the way, and the totals the final metrics are made of.</summary>
public sealed class TrainingHistory
{
    private readonly List<StepRecord> _steps = [];
    private readonly List<EvalLossRecord> _evalLosses = [];

    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Held-out losses in step order: step 0 is the base model, the last step the trained one.</summary>
    public IReadOnlyList<EvalLossRecord> EvalLosses => _evalLosses;

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

    /// <summary>Replaces everything recorded with what a checkpoint saved, in the same order.</summary>
    internal void Restore(IEnumerable<StepRecord> steps, IEnumerable<EvalLossRecord> evalLosses)
    {
        _steps.Clear();
        _evalLosses.Clear();
        TargetTokens = 0;
        TotalTokens = 0;
        Seconds = 0;
        foreach (var step in steps)
        {
            Add(step);
        }

        _evalLosses.AddRange(evalLosses);
    }

    /// <summary>Records the held-out loss after <paramref name="step"/> optimizer steps; a second loss for the same step replaces the first.</summary>
    internal void AddEvalLoss(int step, double loss)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (_evalLosses.Count > 0 && _evalLosses[^1].Step > step)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Eval losses are recorded in step order; the last one is at step {_evalLosses[^1].Step}.");
        }

        if (_evalLosses.Count > 0 && _evalLosses[^1].Step == step)
        {
            _evalLosses[^1] = new EvalLossRecord(step, loss);
            return;
        }

        _evalLosses.Add(new EvalLossRecord(step, loss));
    }
}

/// <summary>The mean held-out loss (nats per target token, teacher-forced) after <paramref name="Step"/> optimizer steps.</summary>
/// <param name="Step">Optimizer steps taken when it was measured; 0 is the base model.</param>
/// <param name="Loss">Mean next-token cross-entropy over every target token of the eval split.</param>
public sealed record EvalLossRecord(int Step, double Loss);
