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

    /// <summary>The output folder of <c>merge</c> or <c>export</c> exists and is not empty (or is a file); pass <c>--force</c> to replace a folder.</summary>
    public const string OutputNotEmpty = "LORA1023";

    /// <summary>The output folder of <c>merge</c> or <c>export</c> is, or contains, the base model or adapter folder it reads.</summary>
    public const string OutputOverlapsInput = "LORA1024";

    /// <summary><c>--dtype</c> is not one of float32, bfloat16, float16.</summary>
    public const string DTypeUnknown = "LORA1025";

    /// <summary>The command line does not parse: an unknown flag or command, a value of the wrong type, or a missing argument (the flag is named).</summary>
    public const string CommandLineInvalid = "LORA1026";

    /// <summary>Flags that cannot go together were given: --raw with a template flag, Alpaca flags with chat flags, or the same text twice (--prompt with --input or --message).</summary>
    public const string FlagsConflict = "LORA1027";
}
