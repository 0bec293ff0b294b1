namespace LoraBuild.Core.Data;

/// <summary>
/// One rendered training example: the prompt and response text as ordered segments, and how the sequence builder
/// must treat its beginning and end.
/// </summary>
/// <param name="Segments">The segments in order; joined they are the rendered text.</param>
public sealed record TrainingExample(IReadOnlyList<Segment> Segments)
{
    /// <summary>
    /// The rendered text already begins with the beginning-of-sequence marker (Llama 2's <c>&lt;s&gt;</c>, Llama 3's
    /// <c>&lt;|begin_of_text|&gt;</c>), so the sequence builder must not prepend the bos id again.
    /// </summary>
    public bool IncludesBos { get; init; }

    /// <summary>
    /// The last target already ends with the template's own end-of-turn marker (<c>&lt;|im_end|&gt;</c>,
    /// <c>&lt;|eot_id|&gt;</c>, <c>&lt;/s&gt;</c>), which teaches the model to stop, so the sequence builder must not
    /// append the eos id. When <see langword="false"/> the builder appends eos after the last target.
    /// </summary>
    public bool IncludesStopMarker { get; init; }

    /// <summary>
    /// A document for continued pretraining: when it is longer than the maximum sequence length the sequence builder
    /// splits it into consecutive chunks instead of truncating it.
    /// </summary>
    public bool SplitWhenTooLong { get; init; }

    /// <summary>Where the example came from (<c>path:line</c>), for diagnostics; <see langword="null"/> when unknown.</summary>
    public string? Source { get; init; }

    /// <summary>The rendered text: every segment joined.</summary>
    public string Text => string.Concat(Segments.Select(segment => segment.Text));

    /// <summary>The same example with every segment a target ("train on prompt"); adjacent segments are joined.</summary>
    public TrainingExample WithEverySegmentTarget()
    {
        var segments = new SegmentListBuilder();
        foreach (var segment in Segments)
        {
            segments.Target(segment.Text);
        }

        return this with { Segments = segments.ToList() };
    }
}
