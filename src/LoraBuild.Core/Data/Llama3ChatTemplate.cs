namespace LoraBuild.Core.Data;

/// <summary>
/// Llama 3 (Instruct, 3.0 format): <c>&lt;|begin_of_text|&gt;</c> once, then per message
/// <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\n{content}&lt;|eot_id|&gt;</c> with the content trimmed.
/// The target is the assistant content plus <c>&lt;|eot_id|&gt;</c>.
/// </summary>
public sealed class Llama3ChatTemplate : ChatTemplate
{
    internal Llama3ChatTemplate()
    {
    }

    /// <inheritdoc/>
    public override string Name => "llama-3";

    /// <inheritdoc/>
    public override bool IncludesBos => true;

    /// <inheritdoc/>
    public override string EndOfTurn => "<|eot_id|>";

    private protected override string AssistantTurnOpening => Header("assistant");

    private protected override void AppendConversation(IReadOnlyList<ChatMessage> messages, SegmentListBuilder output)
    {
        output.Prompt("<|begin_of_text|>");
        foreach (var message in messages)
        {
            output.Prompt(Header(message.RoleName));
            var content = message.Content.Trim() + EndOfTurn;
            if (message.Role == ChatRole.Assistant)
            {
                output.Target(content);
            }
            else
            {
                output.Prompt(content);
            }
        }
    }

    private static string Header(string role) => $"<|start_header_id|>{role}<|end_header_id|>\n\n";
}
