namespace LoraBuild.Core.Data;

/// <summary>
/// Collects segments, joining adjacent ones of the same kind and skipping empty text, so a rendered example has as
/// few segment boundaries (and thus as few separate tokenizer calls) as possible.
/// </summary>
internal sealed class SegmentListBuilder
{
    private readonly List<Segment> _segments = [];

    public SegmentListBuilder Prompt(string text) => Add(text, isTarget: false);

    public SegmentListBuilder Target(string text) => Add(text, isTarget: true);

    public List<Segment> ToList() => [.. _segments];

    public string Text() => string.Concat(_segments.Select(segment => segment.Text));

    private SegmentListBuilder Add(string text, bool isTarget)
    {
        if (text.Length == 0)
        {
            return this;
        }

        if (_segments.Count > 0 && _segments[^1].IsTarget == isTarget)
        {
            _segments[^1] = new Segment(_segments[^1].Text + text, isTarget);
        }
        else
        {
            _segments.Add(new Segment(text, isTarget));
        }

        return this;
    }
}
