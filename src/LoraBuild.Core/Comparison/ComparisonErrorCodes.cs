namespace LoraBuild.Core.Comparison;

/// <summary>Codes for seed runs and adapter comparisons (range LORA1390–LORA1399).</summary>
public static class ComparisonErrorCodes
{
    /// <summary>A seed count is below 2 (one seed has no spread to report), or the last seed s + N − 1 does not fit in a 32-bit integer.</summary>
    public const string SeedCountInvalid = "LORA1390";

    /// <summary>A path given to <c>compare</c> does not exist.</summary>
    public const string ComparePathNotFound = "LORA1391";

    /// <summary><c>compare</c> found no adapter folder (one holding lorabuild.json) under the given paths.</summary>
    public const string NoAdaptersFound = "LORA1392";

    /// <summary>An adapter folder's lorabuild.json cannot be read (not JSON, or another layout); the message names the file.</summary>
    public const string ManifestUnreadable = "LORA1393";

    /// <summary>The <c>--sort</c> column of <c>compare</c> is not one of the table's columns; the message lists them.</summary>
    public const string SortColumnUnknown = "LORA1394";

    /// <summary>The runs given to a seed summary are not one adapter under different seeds (no runs, another adapter name, or a seed twice).</summary>
    public const string SeedRunsInconsistent = "LORA1395";
}
