namespace LoraBuild.Core.Data;

/// <summary>
/// Llama 2 chat, as Meta's reference code and the Hugging Face template render it. Each user/assistant pair is
/// <c>&lt;s&gt;[INST] {user} [/INST] {assistant} &lt;/s&gt;</c>, with both contents stripped of surrounding
/// whitespace; a system message is folded into the first user message as
/// <c>&lt;&lt;SYS&gt;&gt;\n{system}\n&lt;&lt;/SYS&gt;&gt;\n\n{user}</c>. Every pair starts with its own bos
/// (<c>&lt;s&gt;</c>) and every assistant answer ends with eos (<c>&lt;/s&gt;</c>). The target is the assistant's part
/// of the pair, <c> {assistant} &lt;/s&gt;</c>, including the space that separates it from <c>[/INST]</c>.
/// </summary>
public sealed class Llama2ChatTemplate : ChatTemplate
{
    internal Llama2ChatTemplate()
    {
    }

    /// <inheritdoc/>
    public override string Name => "llama-2";

    /// <inheritdoc/>
    public override bool IncludesBos => true;

    /// <inheritdoc/>
    public override string EndOfTurn => "</s>";

    // The user turn "<s>[INST] ... [/INST]" already opens the assistant's turn.
    private protected override string AssistantTurnOpening => string.Empty;

    private protected override void AppendConversation(IReadOnlyList<ChatMessage> messages, SegmentListBuilder output)
    {
        var system = messages[0].Role == ChatRole.System ? messages[0].Content : null;
        var first = system is null ? 0 : 1;
        for (var i = first; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role == ChatRole.User)
            {
                var content = i == first && system is not null
                    ? $"<<SYS>>\n{system}\n<</SYS>>\n\n{message.Content}"
                    : message.Content;
                output.Prompt($"<s>[INST] {content.Trim()} [/INST]");
            }
            else
            {
                output.Target($" {message.Content.Trim()} {EndOfTurn}");
            }
        }
    }
}
