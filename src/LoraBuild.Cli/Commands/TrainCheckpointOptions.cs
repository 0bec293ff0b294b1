using System.CommandLine;
using System.Globalization;
using LoraBuild.Core.Training;

namespace LoraBuild.Cli.Commands;

/// <summary>
/// <c>train</c>'s <c>--checkpoint-steps</c>, <c>--checkpoint-minutes</c> and <c>--no-resume</c> (each falling back to its
/// LORABUILD_* variable): when the whole training state is saved beside the output, and whether a run continues from it.
/// </summary>
internal sealed class TrainCheckpointOptions
{
    private readonly Option<int?> _steps = new("--checkpoint-steps") { Description = $"Save the training state every N optimizer steps (default: {CheckpointSettings.StepsVariable}, else 0: not by steps)." };
    private readonly Option<double?> _minutes = new("--checkpoint-minutes") { Description = $"Save the training state every M minutes of training (default: {CheckpointSettings.MinutesVariable}, else {CheckpointSettings.DefaultMinutes}; 0: not by time)." };
    private readonly Option<bool> _noResume = new("--no-resume") { Description = $"Start over instead of continuing from the newest checkpoint of the same fingerprint (default: {CheckpointSettings.ResumeVariable}, else resume)." };

    public void AddTo(Command command)
    {
        command.Options.Add(_steps);
        command.Options.Add(_minutes);
        command.Options.Add(_noResume);
    }

    /// <exception cref="Core.Diagnostics.LoraException">LORA1190 for a value out of range.</exception>
    public CheckpointSettings Resolve(ParseResult parse) => CheckpointSettings.Resolve(
        parse.GetValue(_steps)?.ToString(CultureInfo.InvariantCulture),
        parse.GetValue(_minutes)?.ToString("R", CultureInfo.InvariantCulture),
        parse.GetValue(_noResume) ? "false" : null,
        location: null);
}
