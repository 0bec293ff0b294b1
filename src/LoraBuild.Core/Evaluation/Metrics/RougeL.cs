namespace LoraBuild.Core.Evaluation.Metrics;

/// <summary>
/// ROUGE-L of a candidate against one reference (Lin, 2004, "ROUGE: A Package for Automatic Evaluation of
/// Summaries", section 3.1): with LCS the length of the longest common subsequence of the two token sequences,
/// m the reference length and n the candidate length, recall R = LCS/m, precision P = LCS/n and
/// F = (1 + β²)·R·P / (R + β²·P).
/// </summary>
public static class RougeL
{
    /// <summary>The F-measure, precision and recall of one comparison.</summary>
    public readonly record struct Result(double Precision, double Recall, double F);

    /// <summary>
    /// Scores <paramref name="candidate"/> against <paramref name="reference"/> after <see cref="Tokenize"/>.
    /// Two empty texts are identical (F = 1); one empty text against a non-empty one scores 0.
    /// </summary>
    /// <param name="beta">Weight of recall over precision; 1 is the balanced F1 most reports use.</param>
    public static Result Score(string candidate, string reference, double beta = 1)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(reference);
        if (!(beta > 0) || double.IsInfinity(beta))
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be positive and finite.");
        }

        var c = Tokenize(candidate);
        var r = Tokenize(reference);
        if (c.Length == 0 || r.Length == 0)
        {
            return c.Length == r.Length ? new Result(1, 1, 1) : new Result(0, 0, 0);
        }

        var lcs = LongestCommonSubsequence(c, r);
        if (lcs == 0)
        {
            return new Result(0, 0, 0);
        }

        var precision = lcs / (double)c.Length;
        var recall = lcs / (double)r.Length;
        var b2 = beta * beta;
        return new Result(precision, recall, (1 + b2) * recall * precision / (recall + (b2 * precision)));
    }

    /// <summary>Lower-cases (invariant culture) and splits on white space; punctuation stays part of its token.</summary>
    public static string[] Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The length of the longest common subsequence, by dynamic programming over two rows.</summary>
    public static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var i = 1; i <= a.Count; i++)
        {
            for (var j = 1; j <= b.Count; j++)
            {
                current[j] = string.Equals(a[i - 1], b[j - 1], StringComparison.Ordinal)
                    ? previous[j - 1] + 1
                    : Math.Max(previous[j], current[j - 1]);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }
}
