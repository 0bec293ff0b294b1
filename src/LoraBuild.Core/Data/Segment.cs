namespace LoraBuild.Core.Data;

/// <summary>A run of rendered text that is either prompt (context only) or target (the loss is computed on it).</summary>
/// <param name="Text">The text, verbatim; special markers such as <c>&lt;|im_end|&gt;</c> appear as text.</param>
/// <param name="IsTarget">Whether the model learns to produce this text.</param>
public sealed record Segment(string Text, bool IsTarget);
