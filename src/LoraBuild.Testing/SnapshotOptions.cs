namespace LoraBuild.Testing;

/// <summary>
/// How a snapshot is located, compared and reported. Key patterns (in <see cref="Tolerances"/> and
/// <see cref="IgnoredKeys"/>) are a score or metric key such as <c>rouge_l</c> or <c>train.loss_final</c>, or a
/// prefix ending in <c>*</c> such as <c>json_fields.*</c>.
/// </summary>
public sealed class SnapshotOptions
{
    /// <summary>The environment variable that accepts received snapshots as verified when it is <c>1</c> or <c>true</c>.</summary>
    public const string AcceptVariable = "LORABUILD_ACCEPT_SNAPSHOTS";

    /// <summary>
    /// The folder holding <c>&lt;name&gt;.verified.json</c>. Default: the folder of the calling test's source file, so
    /// the snapshot is committed beside the test.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>How many differing samples a failure shows before it says "and K more". Default 10.</summary>
    public int MaxShownDifferences { get; set; } = 10;

    /// <summary>The tolerance for every number whose key has no entry in <see cref="Tolerances"/>.</summary>
    public NumberTolerance Tolerance { get; set; } = NumberTolerance.Default;

    /// <summary>Tolerances by key pattern; the longest matching pattern wins.</summary>
    public IDictionary<string, NumberTolerance> Tolerances { get; } = new Dictionary<string, NumberTolerance>(StringComparer.Ordinal);

    /// <summary>Scrubbers applied, in order, to every text before it is compared and written.</summary>
    public IList<TextScrubber> Scrubbers { get; } = [];

    /// <summary>Key patterns of numbers left out of the comparison and of the written snapshot (timings, throughput …).</summary>
    public ISet<string> IgnoredKeys { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether a differing (or missing) verified snapshot is replaced by the received one and the check passes.
    /// Default: whether <see cref="AcceptVariable"/> is <c>1</c> or <c>true</c>.
    /// </summary>
    public bool? Accept { get; set; }

    internal bool AcceptsReceived =>
        Accept ?? Environment.GetEnvironmentVariable(AcceptVariable) is { } value
            && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    internal string ScrubText(string text)
    {
        foreach (var scrubber in Scrubbers)
        {
            text = scrubber.Apply(text);
        }

        return text;
    }

    internal bool Ignores(string key) => IgnoredKeys.Any(pattern => KeyPattern.Matches(pattern, key));

    internal NumberTolerance ToleranceFor(string key) =>
        Tolerances
            .Where(pair => KeyPattern.Matches(pair.Key, key))
            .OrderByDescending(pair => pair.Key.Length)
            .Select(pair => (NumberTolerance?)pair.Value)
            .FirstOrDefault() ?? Tolerance;
}

internal static class KeyPattern
{
    public static bool Matches(string pattern, string key) =>
        pattern.EndsWith('*')
            ? key.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : pattern.Equals(key, StringComparison.Ordinal);
}
