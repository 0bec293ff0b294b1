namespace LoraBuild.Engine.Tokenizers;

/// <summary>What happens to the delimiters a split pattern finds, named as in tokenizer.json.</summary>
internal enum SplitBehavior
{
    /// <summary>Delimiters are dropped.</summary>
    Removed,

    /// <summary>Each delimiter becomes a piece of its own.</summary>
    Isolated,

    /// <summary>Each delimiter is glued to the end of the piece before it.</summary>
    MergedWithPrevious,

    /// <summary>Each delimiter is glued to the start of the piece after it.</summary>
    MergedWithNext,

    /// <summary>Runs of adjacent delimiters become one piece.</summary>
    Contiguous,
}
