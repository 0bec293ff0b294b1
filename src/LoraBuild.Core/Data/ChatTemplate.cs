namespace LoraBuild.Core.Data;

/// <summary>
/// A model family's chat format. Rendering a conversation marks each assistant message, with the end-of-turn marker
/// that closes it, as target; role headers, system and user messages are prompt. Special markers are written as
/// text, the way Hugging Face chat templates render them, for a tokenizer that maps them to their ids.
/// </summary>
public abstract class ChatTemplate
{
    private protected ChatTemplate()
    {
    }

    /// <summary>The name users type, e.g. <c>chatml</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Whether the rendered text begins with the beginning-of-sequence marker (so no bos id is prepended).</summary>
    public abstract bool IncludesBos { get; }

    /// <summary>The marker that ends every assistant turn; generation stops when the model emits it.</summary>
    public abstract string EndOfTurn { get; }

    /// <summary>Renders a conversation to train on (validated by <see cref="ChatConversationRules.ValidateForTraining"/>).</summary>
    /// <param name="messages">An optional system message, then user and assistant alternating, ending with assistant.</param>
    /// <param name="source">Where the conversation came from, for diagnostics.</param>
    public virtual TrainingExample Render(IReadOnlyList<ChatMessage> messages, string? source = null)
    {
        ChatConversationRules.ValidateForTraining(messages, source);
        var segments = new SegmentListBuilder();
        AppendConversation(messages, segments);
        return new TrainingExample(segments.ToList())
        {
            IncludesBos = IncludesBos,
            IncludesStopMarker = true,
            Source = source,
        };
    }

    /// <summary>
    /// Renders a conversation that ends with a user message, followed by what opens the assistant's turn, as the
    /// prompt to generate the assistant's answer from.
    /// </summary>
    public virtual string RenderPrompt(IReadOnlyList<ChatMessage> messages)
    {
        ChatConversationRules.ValidateForPrompt(messages, location: null);
        var segments = new SegmentListBuilder();
        AppendConversation(messages, segments);
        segments.Prompt(AssistantTurnOpening);
        return segments.Text();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>What comes before the assistant's content in its turn (empty when the user turn already opened it).</summary>
    private protected abstract string AssistantTurnOpening { get; }

    /// <summary>Appends every message; the conversation is already validated and may end with a user message.</summary>
    private protected abstract void AppendConversation(IReadOnlyList<ChatMessage> messages, SegmentListBuilder output);
}
