using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>
/// Turns rendered examples into token sequences with target flags, independent of any tokenizer.
/// </summary>
/// <remarks>
/// <para>
/// The segments are joined and the text is encoded once, so training sees exactly the ids inference sees for the
/// same text (encoding segments one by one would, with a SentencePiece tokenizer, put a '▁' before every target that
/// the joined text never has). Which tokens are targets comes from <see cref="TargetSpans"/>: the ids of the text up
/// to each segment boundary, compared with the ids of the whole text.
/// </para>
/// <para>
/// A sequence is: the bos id (when one is given and the rendered text does not already begin with its bos marker),
/// the segment tokens, then the eos id as a target (when the rendering has no stop marker of its own), so the model
/// learns to stop. Position 0 is never a target: nothing precedes it to predict it from.
/// </para>
/// <para>
/// Truncation: a sequence longer than <see cref="MaxSequenceLength"/> keeps its start (the prompt) and loses its
/// end, including the eos that would have followed the cut-off response. If not one target token is left, the
/// example is dropped and counted (<see cref="SequenceBuildResult.DroppedCount"/>). A document marked
/// <see cref="TrainingExample.SplitWhenTooLong"/> is instead split into consecutive chunks of at most
/// <see cref="MaxSequenceLength"/> tokens that overlap by one token, so that every token after the first is a
/// target in exactly one chunk.
/// </para>
/// </remarks>
public sealed class SequenceBuilder
{
    private readonly Func<string, IReadOnlyList<int>> _encode;

    /// <param name="encode">Encodes text to token ids without adding special tokens; special markers in the text map to their ids.</param>
    /// <param name="bosId">The beginning-of-sequence id to prepend, or <see langword="null"/> when the tokenizer adds none.</param>
    /// <param name="eosId">The end-of-sequence id appended after the last target.</param>
    /// <param name="maxSequenceLength">The most tokens a sequence may have; at least 2.</param>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.DataSettingInvalid"/> when the maximum length is below 2.</exception>
    public SequenceBuilder(Func<string, IReadOnlyList<int>> encode, int? bosId, int eosId, int maxSequenceLength)
    {
        ArgumentNullException.ThrowIfNull(encode);
        if (maxSequenceLength < 2)
        {
            throw new LoraException(
                DataErrorCodes.DataSettingInvalid,
                $"The maximum sequence length must be at least 2 tokens, but is {maxSequenceLength}.");
        }

        _encode = encode;
        BosId = bosId;
        EosId = eosId;
        MaxSequenceLength = maxSequenceLength;
    }

    /// <summary>The bos id prepended to sequences whose text has no bos marker, if any.</summary>
    public int? BosId { get; }

    /// <summary>The eos id appended to sequences whose text has no stop marker.</summary>
    public int EosId { get; }

    /// <summary>The most tokens a sequence may have.</summary>
    public int MaxSequenceLength { get; }

    /// <summary>
    /// Builds the sequences of one example: one sequence, several for a split document, none when the example is
    /// dropped because no target token fits.
    /// </summary>
    public IReadOnlyList<TokenizedExample> Build(TrainingExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var ids = new List<int>();
        var targets = new List<bool>();
        if (BosId is { } bos && !example.IncludesBos)
        {
            ids.Add(bos);
            targets.Add(false);
        }

        var encoded = TargetSpans.Encode(example.Segments, _encode);
        ids.AddRange(encoded.Ids);
        targets.AddRange(encoded.IsTarget);

        if (!example.IncludesStopMarker)
        {
            ids.Add(EosId);
            targets.Add(true);
        }

        if (example.SplitWhenTooLong && ids.Count > MaxSequenceLength)
        {
            return Chunks(ids, targets, example.Source);
        }

        var length = Math.Min(ids.Count, MaxSequenceLength);
        return Slice(ids, targets, 0, length, example.Source) is { } sequence ? [sequence] : [];
    }

    /// <summary>Builds every example, counting those dropped.</summary>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.NoExampleFits"/> when there were examples and every one was dropped.</exception>
    public SequenceBuildResult BuildAll(IEnumerable<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var sequences = new List<TokenizedExample>();
        var droppedSources = new List<string>();
        var dropped = 0;
        foreach (var example in examples)
        {
            var built = Build(example);
            if (built.Count == 0)
            {
                dropped++;
                if (example.Source is not null)
                {
                    droppedSources.Add(example.Source);
                }
            }

            sequences.AddRange(built);
        }

        if (sequences.Count == 0 && dropped > 0)
        {
            throw new LoraException(
                DataErrorCodes.NoExampleFits,
                $"{(dropped == 1 ? "The only example was" : $"All {dropped} examples were")} dropped: no response token fits within the maximum sequence length of {MaxSequenceLength} tokens. Raise the maximum sequence length or shorten the prompts.",
                droppedSources.FirstOrDefault());
        }

        return new SequenceBuildResult(sequences, dropped, droppedSources);
    }

    // Stride MaxSequenceLength - 1: each chunk starts with the last token of the previous one, as context.
    private List<TokenizedExample> Chunks(List<int> ids, List<bool> targets, string? source)
    {
        var chunks = new List<TokenizedExample>();
        for (var start = 0; start + 1 < ids.Count; start += MaxSequenceLength - 1)
        {
            var length = Math.Min(MaxSequenceLength, ids.Count - start);
            if (Slice(ids, targets, start, length, source) is { } chunk)
            {
                chunks.Add(chunk);
            }
        }

        return chunks;
    }

    private static TokenizedExample? Slice(List<int> ids, List<bool> targets, int start, int length, string? source)
    {
        if (length == 0)
        {
            return null;
        }

        var sliceIds = ids.GetRange(start, length).ToArray();
        var sliceTargets = targets.GetRange(start, length).ToArray();
        sliceTargets[0] = false;
        return Array.IndexOf(sliceTargets, true) >= 0
            ? new TokenizedExample(sliceIds, sliceTargets) { Source = source }
            : null;
    }
}
