namespace LoraBuild.Core.Data;

/// <summary>The sequences built from a set of examples, and what had to be dropped.</summary>
/// <param name="Examples">The sequences, in example order (a split document contributes its chunks in order).</param>
/// <param name="DroppedCount">How many examples were dropped because no target token fit in the maximum length.</param>
/// <param name="DroppedSources">Where the dropped examples came from, when known, in order.</param>
public sealed record SequenceBuildResult(
    IReadOnlyList<TokenizedExample> Examples,
    int DroppedCount,
    IReadOnlyList<string> DroppedSources);
