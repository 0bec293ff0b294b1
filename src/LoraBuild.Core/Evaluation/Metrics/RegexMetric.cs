using System.Text.RegularExpressions;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>
/// <c>regex</c>: 1 when the answer contains a match of the pattern (anchor it with <c>^…$</c> to require the whole
/// answer). The pattern is the suite's own when one is set; otherwise each sample's expected answer is its pattern.
/// Patterns run with <see cref="RegexOptions.NonBacktracking"/>, so matching takes linear time and needs no timeout:
/// a result never depends on how fast the machine is.
/// </summary>
public sealed class RegexMetric : IEvalMetric
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
    private readonly Regex? _suitePattern;

    /// <param name="pattern">The pattern every sample's answer must match, or null to use each expected answer.</param>
    /// <param name="location">The item or setting the pattern came from, named when it is invalid.</param>
    public RegexMetric(string? pattern, string location)
    {
        _suitePattern = pattern is null ? null : Compile(pattern, location);
    }

    public string Name => MetricNames.Regex;

    public string Key => "regex";

    /// <summary>The suite's pattern, or null when each sample's expected answer is its pattern.</summary>
    public string? Pattern => _suitePattern?.ToString();

    public MetricScore Score(string output, string expected, string source)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(expected);
        var regex = _suitePattern ?? Compile(expected, source);
        return MetricScore.Of(regex.IsMatch(output));
    }

    private static Regex Compile(string pattern, string location)
    {
        try
        {
            return new Regex(pattern, Options);
        }
        catch (ArgumentException e)
        {
            throw new LoraException(EvalErrorCodes.InvalidPattern, $"The regex pattern '{pattern}' is not valid: {e.Message}", location, e);
        }
        catch (NotSupportedException e)
        {
            throw new LoraException(
                EvalErrorCodes.InvalidPattern,
                $"The regex pattern '{pattern}' uses a construct that cannot be matched in linear time (backreferences, lookarounds and atomic groups cannot): {e.Message}",
                location,
                e);
        }
    }
}
