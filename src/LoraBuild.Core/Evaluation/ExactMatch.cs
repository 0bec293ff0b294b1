namespace LoraBuild.Core.Evaluation;

/// <summary>Whether a generated answer equals the reference, ignoring leading and trailing white space only.</summary>
public static class ExactMatch
{
    public static bool Matches(string generated, string expected)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(expected);
        return string.Equals(generated.Trim(), expected.Trim(), StringComparison.Ordinal);
    }
}
