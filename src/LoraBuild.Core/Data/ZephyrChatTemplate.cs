namespace LoraBuild.Core.Data;

/// <summary>
/// Zephyr (also TinyLlama chat): <c>&lt;|role|&gt;\n{content}&lt;/s&gt;\n</c> per message, contents verbatim, where
/// <c>&lt;/s&gt;</c> is the eos token of these Llama/Mistral tokenizers. The target is the assistant content plus
/// <c>&lt;/s&gt;</c>; the newline after it is prompt.
/// </summary>
public sealed class ZephyrChatTemplate : ChatTemplate
{
    internal ZephyrChatTemplate()
    {
    }

    /// <inheritdoc/>
    public override string Name => "zephyr";

    /// <inheritdoc/>
    public override bool IncludesBos => false;

    /// <inheritdoc/>
    public override string EndOfTurn => "</s>";

    private protected override string AssistantTurnOpening => "<|assistant|>\n";

    private protected override void AppendConversation(IReadOnlyList<ChatMessage> messages, SegmentListBuilder output)
    {
        foreach (var message in messages)
        {
            output.Prompt($"<|{message.RoleName}|>\n");
            if (message.Role == ChatRole.Assistant)
            {
                output.Target(message.Content + EndOfTurn);
            }
            else
            {
                output.Prompt(message.Content + EndOfTurn);
            }

            output.Prompt("\n");
        }
    }
}
