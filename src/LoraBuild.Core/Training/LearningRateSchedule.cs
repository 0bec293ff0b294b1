using LoraBuild.Core.Specs;

namespace LoraBuild.Core.Training;

/// <summary>
/// The learning rate at each optimizer step (0-based). Warmup rises linearly to the peak, reaching it at step
/// <c>warmup − 1</c> — unlike Hugging Face's schedules, the first step does not run at zero. After warmup,
/// <c>progress = (step − warmup) / (total − warmup)</c> and:
/// cosine: <c>min + (peak − min) · ½ (1 + cos πp)</c>; linear: <c>min + (peak − min)(1 − p)</c>; constant: <c>peak</c>.
/// </summary>
public sealed class LearningRateSchedule
{
    private readonly string _kind;
    private readonly double _peak;
    private readonly double _minimum;
    private readonly int _warmupSteps;
    private readonly int _totalSteps;

    public LearningRateSchedule(string kind, double peak, double minimum, int warmupSteps, int totalSteps)
    {
        if (!Schedulers.All.Contains(kind))
        {
            throw new ArgumentException($"Unknown schedule '{kind}'.", nameof(kind));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        _kind = kind;
        _peak = peak;
        _minimum = minimum;
        _warmupSteps = warmupSteps;
        _totalSteps = totalSteps;
    }

    public static LearningRateSchedule For(TrainingSpec spec, int totalSteps)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new LearningRateSchedule(spec.Scheduler, spec.LearningRate, spec.MinLearningRate, spec.WarmupSteps, totalSteps);
    }

    public double At(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < _warmupSteps)
        {
            return _peak * (step + 1) / _warmupSteps;
        }

        if (_kind == Schedulers.Constant)
        {
            return _peak;
        }

        var decaySteps = Math.Max(1, _totalSteps - _warmupSteps);
        var progress = Math.Min(1.0, (double)(step - _warmupSteps) / decaySteps);
        var shape = _kind == Schedulers.Cosine ? 0.5 * (1 + Math.Cos(Math.PI * progress)) : 1 - progress;
        return _minimum + ((_peak - _minimum) * shape);
    }
}
