namespace LoraBuild.Core.Comparison;

/// <summary>
/// One column of a comparison table: the key <c>--sort</c> names it by, its header, and how a row's cell reads. A
/// column that <paramref name="Numeric"/> is right-aligned and sorts by <paramref name="Value"/>; the others sort by
/// their text.
/// </summary>
public sealed record ComparisonColumn(
    string Key,
    string Header,
    bool Numeric,
    Func<ComparedAdapter, double?> Value,
    Func<ComparedAdapter, string> Text)
{
    /// <summary>For a column that shows a change (the eval loss before → after), the value before; <see cref="Value"/> is the one after.</summary>
    public Func<ComparedAdapter, double?>? ValueBefore { get; init; }
}
