namespace LoraBuild.Core.Data;

/// <summary>
/// The Stanford Alpaca prompt (also LitGPT's <c>alpaca</c> prompt style). The prompt is context; the output is the
/// target, followed by eos (added by the sequence builder).
/// </summary>
public static class AlpacaTemplate
{
    /// <summary>The preamble used when the record has an input.</summary>
    public const string PreambleWithInput =
        "Below is an instruction that describes a task, paired with an input that provides further context. " +
        "Write a response that appropriately completes the request.\n\n";

    /// <summary>The preamble used when the record's input is empty.</summary>
    public const string PreambleWithoutInput =
        "Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n";

    /// <summary>The prompt for an instruction and an input; an empty input selects the no-input variant.</summary>
    public static string Prompt(string instruction, string input)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(input);
        return input.Length == 0
            ? $"{PreambleWithoutInput}### Instruction:\n{instruction}\n\n### Response:\n"
            : $"{PreambleWithInput}### Instruction:\n{instruction}\n\n### Input:\n{input}\n\n### Response:\n";
    }

    /// <summary>The record as a prompt segment and its output as the target segment.</summary>
    public static TrainingExample Render(AlpacaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var segments = new SegmentListBuilder()
            .Prompt(Prompt(record.Instruction, record.Input))
            .Target(record.Output);
        return new TrainingExample(segments.ToList()) { Source = record.Location };
    }
}
