namespace LoraBuild.Cli;

/// <summary>Codes for command-line usage errors (range LORA1020–LORA1029).</summary>
internal static class CliErrorCodes
{
    /// <summary>A command needs a model directory or config.json and none was given.</summary>
    public const string ModelPathMissing = "LORA1020";

    /// <summary>A path given on the command line does not exist.</summary>
    public const string PathNotFound = "LORA1021";

    /// <summary>The prompt given to <c>generate</c> has no tokens.</summary>
    public const string PromptEmpty = "LORA1022";
}
