namespace LoraBuild.Core.Data;

/// <summary>
/// Encodes rendered segments as one text and marks the tokens of target segments. The boundary before a segment
/// falls after the tokens the text up to that boundary encodes to, where those are a prefix of the whole text's
/// tokens; where a token spans the boundary (the tokenizer merged characters across it), that token counts as
/// target, since the model must produce part of it.
/// </summary>
public static class TargetSpans
{
    /// <summary>The ids of the joined text and, per id, whether it belongs to a target segment.</summary>
    public static (IReadOnlyList<int> Ids, IReadOnlyList<bool> IsTarget) Encode(IReadOnlyList<Segment> segments, Func<string, IReadOnlyList<int>> encode)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(encode);
        var runs = Runs(segments);
        var text = string.Concat(runs.Select(run => run.Text));
        var ids = encode(text);
        var isTarget = new bool[ids.Count];
        var position = 0;
        var tokenBoundary = 0;
        for (var i = 0; i < runs.Count; i++)
        {
            var start = tokenBoundary;
            position += runs[i].Text.Length;
            // A boundary's tokens are found the same way for a run's start and end, so targets are contiguous.
            tokenBoundary = i == runs.Count - 1 ? ids.Count : Math.Max(start, Boundary(ids, encode(text[..position]), target: runs[i].IsTarget));
            for (var token = start; token < tokenBoundary; token++)
            {
                isTarget[token] = runs[i].IsTarget;
            }
        }

        return (ids, isTarget);
    }

    /// <summary>
    /// The number of tokens of the whole text that precede a boundary: the common prefix with the prefix text's
    /// tokens, plus the token that spans the boundary when the run before it is a target (it ends the target).
    /// </summary>
    private static int Boundary(IReadOnlyList<int> all, IReadOnlyList<int> prefix, bool target)
    {
        var common = 0;
        while (common < prefix.Count && common < all.Count && prefix[common] == all[common])
        {
            common++;
        }

        var spans = common < prefix.Count && common < all.Count;
        return spans && target ? common + 1 : common;
    }

    /// <summary>Adjacent segments of one kind joined, empty ones left out.</summary>
    private static List<Segment> Runs(IReadOnlyList<Segment> segments)
    {
        var runs = new List<Segment>();
        foreach (var segment in segments)
        {
            if (segment.Text.Length == 0)
            {
                continue;
            }

            if (runs.Count > 0 && runs[^1].IsTarget == segment.IsTarget)
            {
                runs[^1] = runs[^1] with { Text = runs[^1].Text + segment.Text };
            }
            else
            {
                runs.Add(segment);
            }
        }

        return runs;
    }
}
