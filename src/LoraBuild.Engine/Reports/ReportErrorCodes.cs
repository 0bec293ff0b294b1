namespace LoraBuild.Engine.Reports;

/// <summary>Codes for what <c>dotnet lora eval</c> and the report writer are given (range LORA1350–LORA1369).</summary>
public static class ReportErrorCodes
{
    /// <summary>The path to evaluate is neither an adapter folder, a spec file, nor a folder holding <c>lora.json</c>.</summary>
    public const string EvalTargetNotFound = "LORA1350";

    /// <summary>The adapter to evaluate is missing: the spec's adapter was never trained, or the folder lacks its config or weights.</summary>
    public const string AdapterMissing = "LORA1351";

    /// <summary>The base model cannot be found: the adapter's recorded base path does not resolve and no <c>--model</c> was given, or it is not a model folder.</summary>
    public const string BaseModelMissing = "LORA1352";

    /// <summary>There is no eval data: the spec or manifest lists none and no <c>--data</c> was given, or a listed file does not exist.</summary>
    public const string EvalDataMissing = "LORA1353";

    /// <summary><c>training_history.json</c> is not JSON, or not in the layout this version writes.</summary>
    public const string HistoryUnreadable = "LORA1354";

    /// <summary>The eval data yields nothing to evaluate: no record with a target token and no prompt to answer.</summary>
    public const string EvalDataEmpty = "LORA1355";
}
