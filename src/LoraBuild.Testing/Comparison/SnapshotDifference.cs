namespace LoraBuild.Testing.Comparison;

/// <summary>What differs between a verified and a received entry.</summary>
internal enum DifferenceKind
{
    /// <summary>Both have the value and it differs (beyond the tolerance, for numbers).</summary>
    Changed,

    /// <summary>The verified entry has the value, the received one does not.</summary>
    Missing,

    /// <summary>The received entry has a value the verified one does not.</summary>
    Added,
}

/// <summary>One differing value of an entry.</summary>
/// <param name="Verified">The verified value (null when <see cref="DifferenceKind.Added"/>).</param>
/// <param name="Received">The received value (null when <see cref="DifferenceKind.Missing"/>).</param>
/// <param name="Tolerance">The tolerance a number was compared with.</param>
internal sealed record FieldDifference(DifferenceKind Kind, string Name, SnapshotField? Verified, SnapshotField? Received, NumberTolerance? Tolerance = null);

/// <summary>An entry that differs: its values, or the whole entry when only one side has it.</summary>
/// <param name="Kind"><see cref="DifferenceKind.Changed"/> with <paramref name="Fields"/>, or a whole entry missing or added.</param>
internal sealed record RecordDifference(DifferenceKind Kind, string Label, IReadOnlyList<FieldDifference> Fields);
