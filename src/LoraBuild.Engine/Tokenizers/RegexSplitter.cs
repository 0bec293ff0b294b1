using System.Text.RegularExpressions;

namespace LoraBuild.Engine.Tokenizers;

/// <summary>
/// Splits text on the matches of a regex the way the Hugging Face <c>Split</c> pre-tokenizer does, matching Unicode
/// scalars as Rust does (through an <see cref="AstralShadow"/> when the text has characters outside the basic plane).
/// </summary>
internal static class RegexSplitter
{
    public static List<string> Split(string text, Regex pattern, SplitBehavior behavior, bool invert = false)
    {
        var shadow = AstralShadow.Applies(pattern.ToString()) ? AstralShadow.Of(text) : null;
        var intervals = Intervals(shadow?.Text ?? text, pattern, invert);
        var pieces = Combine(intervals, behavior);
        return shadow is null
            ? pieces.ConvertAll(piece => text[piece.Start..piece.End])
            : pieces.ConvertAll(piece => text[shadow.Offsets[piece.Start]..shadow.Offsets[piece.End]]);
    }

    private static List<(int Start, int End, bool IsDelimiter)> Intervals(string text, Regex pattern, bool invert)
    {
        var intervals = new List<(int Start, int End, bool IsDelimiter)>();
        int previousEnd = 0;
        for (Match match = pattern.Match(text); match.Success; match = match.NextMatch())
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > previousEnd)
            {
                intervals.Add((previousEnd, match.Index, invert));
            }

            intervals.Add((match.Index, match.Index + match.Length, !invert));
            previousEnd = match.Index + match.Length;
        }

        if (previousEnd < text.Length)
        {
            intervals.Add((previousEnd, text.Length, invert));
        }

        return intervals;
    }

    private static List<(int Start, int End)> Combine(List<(int Start, int End, bool IsDelimiter)> intervals, SplitBehavior behavior)
    {
        var pieces = new List<(int Start, int End)>(intervals.Count);
        bool previousWasDelimiter = false;
        switch (behavior)
        {
            case SplitBehavior.Removed:
                pieces.AddRange(intervals.Where(i => !i.IsDelimiter).Select(i => (i.Start, i.End)));
                break;
            case SplitBehavior.Isolated:
                pieces.AddRange(intervals.Select(i => (i.Start, i.End)));
                break;
            case SplitBehavior.MergedWithPrevious:
                foreach (var (start, end, isDelimiter) in intervals)
                {
                    if (isDelimiter && !previousWasDelimiter && pieces.Count > 0)
                    {
                        pieces[^1] = (pieces[^1].Start, end);
                    }
                    else
                    {
                        pieces.Add((start, end));
                    }

                    previousWasDelimiter = isDelimiter;
                }

                break;
            case SplitBehavior.MergedWithNext:
                for (int i = intervals.Count - 1; i >= 0; i--)
                {
                    var (start, end, isDelimiter) = intervals[i];
                    if (isDelimiter && !previousWasDelimiter && pieces.Count > 0)
                    {
                        pieces[^1] = (start, pieces[^1].End);
                    }
                    else
                    {
                        pieces.Add((start, end));
                    }

                    previousWasDelimiter = isDelimiter;
                }

                pieces.Reverse();
                break;
            case SplitBehavior.Contiguous:
                foreach (var (start, end, isDelimiter) in intervals)
                {
                    if (isDelimiter && previousWasDelimiter)
                    {
                        pieces[^1] = (pieces[^1].Start, end);
                    }
                    else
                    {
                        pieces.Add((start, end));
                    }

                    previousWasDelimiter = isDelimiter;
                }

                break;
        }

        return pieces;
    }
}
