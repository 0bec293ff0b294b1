namespace LoraBuild.Core.Evaluation;

/// <summary>Codes for evaluation suites, metrics and their outputs file (range LORA1300–LORA1349).</summary>
public static class EvalErrorCodes
{
    /// <summary>A metric name in a <c>LoraEval Metric</c> list or a spec's <c>metric</c> is not one LoraBuild knows.</summary>
    public const string UnknownMetric = "LORA1300";

    /// <summary>The same metric is listed twice for one evaluation suite.</summary>
    public const string DuplicateMetric = "LORA1301";

    /// <summary>A regular expression for the <c>regex</c> metric does not parse, or uses a construct that cannot run in linear time (backreferences, lookarounds, atomic groups).</summary>
    public const string InvalidPattern = "LORA1302";

    /// <summary>A sample scored with <c>json-fields</c> has an expected answer that is not a JSON object.</summary>
    public const string ExpectedNotJsonObject = "LORA1303";

    /// <summary>A perplexity was asked for from a loss that is negative, infinite or not a number.</summary>
    public const string InvalidLoss = "LORA1304";

    /// <summary>An evaluation outputs file (<c>eval_outputs.json</c>) is missing, not JSON, or not in the expected layout.</summary>
    public const string OutputsUnreadable = "LORA1305";
}
