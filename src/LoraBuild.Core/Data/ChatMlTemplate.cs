namespace LoraBuild.Core.Data;

/// <summary>
/// ChatML (Qwen, many others): <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> per message, contents verbatim.
/// The target is the assistant content plus <c>&lt;|im_end|&gt;</c>; the newline after it is prompt.
/// </summary>
public sealed class ChatMlTemplate : ChatTemplate
{
    internal ChatMlTemplate()
    {
    }

    /// <inheritdoc/>
    public override string Name => "chatml";

    /// <inheritdoc/>
    public override bool IncludesBos => false;

    /// <inheritdoc/>
    public override string EndOfTurn => "<|im_end|>";

    private protected override string AssistantTurnOpening => "<|im_start|>assistant\n";

    private protected override void AppendConversation(IReadOnlyList<ChatMessage> messages, SegmentListBuilder output)
    {
        foreach (var message in messages)
        {
            output.Prompt($"<|im_start|>{message.RoleName}\n");
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
