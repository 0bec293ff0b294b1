using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Data;

/// <summary>
/// The message order every chat template here relies on: an optional system message first, then user and
/// assistant messages alternating, starting with a user message.
/// </summary>
public static class ChatConversationRules
{
    /// <summary>Checks a conversation to train on: it must end with an assistant message.</summary>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.FieldEmpty"/> or <see cref="DataErrorCodes.ChatOrderInvalid"/>.</exception>
    public static void ValidateForTraining(IReadOnlyList<ChatMessage> messages, string? location) =>
        Validate(messages, ChatRole.Assistant, location);

    /// <summary>Checks a conversation to prompt a model with: it must end with a user message.</summary>
    /// <exception cref="LoraException"><see cref="DataErrorCodes.FieldEmpty"/> or <see cref="DataErrorCodes.ChatOrderInvalid"/>.</exception>
    public static void ValidateForPrompt(IReadOnlyList<ChatMessage> messages, string? location) =>
        Validate(messages, ChatRole.User, location);

    private static void Validate(IReadOnlyList<ChatMessage> messages, ChatRole lastRole, string? location)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new LoraException(DataErrorCodes.FieldEmpty, "The conversation has no messages (\"messages\" is empty).", location);
        }

        var first = messages[0].Role == ChatRole.System ? 1 : 0;
        var expected = ChatRole.User;
        for (var i = first; i < messages.Count; i++)
        {
            var role = messages[i].Role;
            if (role != expected)
            {
                var why = role == ChatRole.System ? "a system message may only come first"
                    : i == first ? "a conversation must start with a user message"
                    : $"{WithArticle(expected)} message must follow {WithArticle(messages[i - 1].Role)} message";
                throw new LoraException(
                    DataErrorCodes.ChatOrderInvalid,
                    $"messages[{i}] has role \"{ChatMessage.RoleNameOf(role)}\", but {why} (order: optional system, then user and assistant alternating).",
                    location);
            }

            expected = expected == ChatRole.User ? ChatRole.Assistant : ChatRole.User;
        }

        var last = messages[^1].Role;
        if (last != lastRole)
        {
            var purpose = lastRole == ChatRole.Assistant ? "to train on" : "to prompt a model with";
            throw new LoraException(
                DataErrorCodes.ChatOrderInvalid,
                $"A conversation {purpose} must end with {WithArticle(lastRole)} message, but this one ends with {WithArticle(last)} message.",
                location);
        }
    }

    private static string WithArticle(ChatRole role) => role == ChatRole.Assistant ? "an assistant" : $"a {ChatMessage.RoleNameOf(role)}";
}
