namespace LoraBuild.Core.Comparison;

/// <summary>
/// The seeds of a seed-consistency run: N runs of one spec under seeds s, s + 1, …, s + N − 1, where s is the spec's
/// own seed, so the first run is the adapter the spec trains anyway. Each run has its own folder <c>seed-&lt;n&gt;</c>.
/// </summary>
public static class SeedRuns
{
    /// <summary>The name of the summary file written beside the runs.</summary>
    public const string SummaryFileName = "seeds.json";

    /// <summary>The seeds to train, in order; <paramref name="count"/> must be at least 2.</summary>
    public static IReadOnlyList<int> Seeds(int first, int count)
    {
        if (count < 2)
        {
            throw new Diagnostics.LoraException(ComparisonErrorCodes.SeedCountInvalid, $"The seed count is {count}; it must be at least 2 (one run has no spread to report).");
        }

        if ((long)first + count - 1 > int.MaxValue)
        {
            throw new Diagnostics.LoraException(ComparisonErrorCodes.SeedCountInvalid, $"Seeds {first} … {(long)first + count - 1} do not fit in a 32-bit integer; start from a smaller seed.");
        }

        return [.. Enumerable.Range(0, count).Select(i => first + i)];
    }

    /// <summary>The folder name of the run with <paramref name="seed"/>, e.g. <c>seed-43</c>.</summary>
    public static string FolderName(int seed) => FormattableString.Invariant($"seed-{seed}");
}
