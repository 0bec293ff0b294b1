namespace LoraBuild.Engine.Benchmarks;

/// <summary>Codes for the training benchmark (range LORA3040–LORA3049).</summary>
public static class BenchmarkErrorCodes
{
    /// <summary>A benchmark setting is out of range or inconsistent (for example a width the head count does not divide).</summary>
    public const string BenchmarkSettingInvalid = "LORA3040";

    /// <summary>The benchmark was asked for a precision path it does not have (fp32 and bf16 exist).</summary>
    public const string BenchmarkPathUnknown = "LORA3041";

    /// <summary>A benchmark child process failed or left no result behind.</summary>
    public const string BenchmarkChildFailed = "LORA3042";
}
