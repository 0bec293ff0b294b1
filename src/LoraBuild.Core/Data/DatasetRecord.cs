namespace LoraBuild.Core.Data;

/// <summary>One record read from a dataset file.</summary>
/// <param name="Location">Where the record starts, as <c>path:line</c> (1-based line).</param>
public abstract record DatasetRecord(string Location);

/// <summary>A Stanford Alpaca instruction record.</summary>
/// <param name="Instruction">The task.</param>
/// <param name="Input">Further context for the task; empty when the record has none.</param>
/// <param name="Output">The response the model learns to give.</param>
/// <param name="Location">Where the record starts, as <c>path:line</c>.</param>
public sealed record AlpacaRecord(string Instruction, string Input, string Output, string Location)
    : DatasetRecord(Location);

/// <summary>A conversation whose message order has been validated (see <see cref="ChatConversationRules"/>).</summary>
/// <param name="Messages">The messages, in order.</param>
/// <param name="Location">Where the record starts, as <c>path:line</c>.</param>
public sealed record ChatRecord(IReadOnlyList<ChatMessage> Messages, string Location) : DatasetRecord(Location);

/// <summary>A plain document for continued pretraining.</summary>
/// <param name="Text">The document, verbatim.</param>
/// <param name="Location">Where the document starts, as <c>path:line</c>.</param>
public sealed record TextRecord(string Text, string Location) : DatasetRecord(Location);
