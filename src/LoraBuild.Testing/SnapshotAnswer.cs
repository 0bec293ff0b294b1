namespace LoraBuild.Testing;

/// <summary>What a model answered to one input, for <see cref="AnswerSnapshot"/>.</summary>
/// <param name="Source">Where the input comes from, e.g. <c>data/eval.jsonl:8</c> (relative, so the snapshot reads the same everywhere).</param>
/// <param name="Input">The input or prompt the model was given.</param>
/// <param name="Answer">The model's answer.</param>
public sealed record SnapshotAnswer(string Source, string Input, string Answer)
{
    /// <summary>The reference answer from the data, if any; recorded so a reader of the snapshot sees how far off an answer is.</summary>
    public string? Reference { get; init; }

    /// <summary>Scores of the answer by key (e.g. <c>exact_match</c>), compared within the options' tolerances; null for none.</summary>
    public IReadOnlyDictionary<string, double>? Scores { get; init; }
}
