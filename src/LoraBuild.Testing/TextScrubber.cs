using System.Text.RegularExpressions;

namespace LoraBuild.Testing;

/// <summary>
/// Replaces a run-specific part of a text (a machine's folder, a duration, a fingerprint) with a fixed placeholder
/// before the text is compared and written, so a snapshot holds only what should stay the same between runs.
/// </summary>
public sealed partial class TextScrubber
{
    private readonly Func<string, string> _scrub;

    private TextScrubber(string description, Func<string, string> scrub)
    {
        Description = description;
        _scrub = scrub;
    }

    /// <summary>What the scrubber replaces, for messages.</summary>
    public string Description { get; }

    /// <summary>Every occurrence of <paramref name="directory"/> (with either separator) becomes <paramref name="placeholder"/>.</summary>
    public static TextScrubber Path(string directory, string placeholder = "{dir}")
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(placeholder);
        var full = System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(directory));
        var forms = new[] { full, full.Replace('\\', '/'), full.Replace('/', '\\') }.Distinct(StringComparer.Ordinal).ToArray();
        return new TextScrubber($"the folder {full}", text =>
        {
            foreach (var form in forms)
            {
                text = text.Replace(form, placeholder, StringComparison.Ordinal);
            }

            return text;
        });
    }

    /// <summary>Every SHA-256 written as 64 hexadecimal digits (a LoraBuild fingerprint or file hash) becomes <c>{fingerprint}</c>.</summary>
    public static TextScrubber Fingerprints() =>
        new("SHA-256 fingerprints", text => Sha256Regex().Replace(text, "{fingerprint}"));

    /// <summary>
    /// Durations and clock times become <c>{time}</c>: ISO-8601 date-times (<c>2026-11-25T10:30:35Z</c>), clock
    /// spans (<c>00:01:02.5</c>) and numbers with a time unit (<c>1.5 s</c>, <c>120ms</c>, <c>3 min</c>).
    /// </summary>
    public static TextScrubber Timings() =>
        new("timings", text => DurationRegex().Replace(ClockRegex().Replace(DateTimeRegex().Replace(text, "{time}"), "{time}"), "{time}"));

    /// <summary>Every match of <paramref name="pattern"/> becomes <paramref name="replacement"/> (which may use <c>$1</c> groups).</summary>
    public static TextScrubber Pattern(string pattern, string replacement)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(replacement);
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return new TextScrubber($"/{pattern}/", text => regex.Replace(text, replacement));
    }

    /// <summary><paramref name="text"/> with this scrubber's replacements made.</summary>
    public string Apply(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _scrub(text);
    }

    /// <inheritdoc/>
    public override string ToString() => Description;

    [GeneratedRegex("(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Regex();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeRegex();

    [GeneratedRegex(@"\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b", RegexOptions.CultureInvariant)]
    private static partial Regex ClockRegex();

    [GeneratedRegex(@"\b\d+(\.\d+)?\s?(ns|µs|us|ms|s|sec|secs|seconds?|min|mins|minutes?|h|hours?)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DurationRegex();
}
