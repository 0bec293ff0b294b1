using System.Globalization;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Training;

/// <summary>
/// When a training run saves its whole state, and whether a run picks up the newest checkpoint of the same fingerprint.
/// Checkpoints change when a result is reached, never which result: none of these settings is in the fingerprint.
/// </summary>
public sealed record CheckpointSettings
{
    /// <summary>The interval a run checkpoints at when nothing else is said: long runs survive a kill, short ones write nothing.</summary>
    public const double DefaultMinutes = 10;

    /// <summary>The default: every <see cref="DefaultMinutes"/> minutes of training, resume on.</summary>
    public static CheckpointSettings Default { get; } = new();

    /// <summary>Checkpoint after every <c>n</c>-th optimizer step; 0 does not count steps.</summary>
    public int EverySteps { get; init; }

    /// <summary>Checkpoint once this many minutes of training have passed since the last checkpoint (or the start); 0 does not look at the clock.</summary>
    public double EveryMinutes { get; init; } = DefaultMinutes;

    /// <summary>Whether a run continues from the newest valid checkpoint of the same fingerprint (<c>--no-resume</c> turns it off).</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Whether any checkpoint is ever written.</summary>
    public bool Writes => EverySteps > 0 || EveryMinutes > 0;

    /// <summary>Whether a checkpoint is due after <paramref name="step"/> completed steps of <paramref name="totalSteps"/>.</summary>
    /// <param name="sinceLast">Training time since the last checkpoint, or since the run (or its resumption) began.</param>
    public bool IsDue(int step, int totalSteps, TimeSpan sinceLast)
    {
        if (step >= totalSteps)
        {
            return false; // the output itself is written next
        }

        return (EverySteps > 0 && step % EverySteps == 0) || (EveryMinutes > 0 && sinceLast.TotalMinutes >= EveryMinutes);
    }

    public const string StepsVariable = "LORABUILD_CHECKPOINT_STEPS";
    public const string MinutesVariable = "LORABUILD_CHECKPOINT_MINUTES";
    public const string ResumeVariable = "LORABUILD_RESUME";

    /// <summary>
    /// The settings from the first place that gives each: the explicit value (an MSBuild property or a command-line
    /// flag), then the environment (<see cref="StepsVariable"/>, <see cref="MinutesVariable"/>, <see cref="ResumeVariable"/>),
    /// then the default.
    /// </summary>
    /// <param name="environment">Reads a variable; null uses the process's environment.</param>
    /// <exception cref="LoraException">LORA1190: a value that is not a whole number ≥ 0, a number of minutes ≥ 0, or true/false.</exception>
    public static CheckpointSettings Resolve(string? steps, string? minutes, string? resume, Func<string, string?>? environment = null, string? location = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var settings = Default;
        if (FirstGiven(steps, environment(StepsVariable)) is { } stepsText)
        {
            if (!int.TryParse(stepsText, NumberStyles.None, CultureInfo.InvariantCulture, out var everySteps))
            {
                throw Invalid($"Checkpoint steps '{stepsText}' is not a whole number ≥ 0 (0: do not checkpoint by step count).", location);
            }

            settings = settings with { EverySteps = everySteps };
        }

        if (FirstGiven(minutes, environment(MinutesVariable)) is { } minutesText)
        {
            if (!double.TryParse(minutesText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var everyMinutes) || !double.IsFinite(everyMinutes))
            {
                throw Invalid($"Checkpoint minutes '{minutesText}' is not a number ≥ 0 (0: do not checkpoint by time).", location);
            }

            settings = settings with { EveryMinutes = everyMinutes };
        }

        if (FirstGiven(resume, environment(ResumeVariable)) is { } resumeText)
        {
            if (!bool.TryParse(resumeText, out var resumes))
            {
                throw Invalid($"Resume '{resumeText}' is not true or false.", location);
            }

            settings = settings with { Resume = resumes };
        }

        return settings;
    }

    private static string? FirstGiven(string? value, string? fallback) =>
        !string.IsNullOrWhiteSpace(value) ? value.Trim() : !string.IsNullOrWhiteSpace(fallback) ? fallback.Trim() : null;

    private static LoraException Invalid(string message, string? location) => new(CheckpointErrorCodes.SettingInvalid, message, location);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a negative or non-finite interval.</summary>
    public CheckpointSettings Validated()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(EverySteps);
        if (!double.IsFinite(EveryMinutes) || EveryMinutes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(EveryMinutes), EveryMinutes, "Checkpoint minutes must be a finite number ≥ 0.");
        }

        return this;
    }
}
