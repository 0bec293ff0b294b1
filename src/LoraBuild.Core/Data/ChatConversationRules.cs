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
                var why = role == ChatRole.System
                    ? "a system message may only come first"
                    : $"after {(i == first ? "the start" : $"a {ChatMessage.RoleNameOf(messages[i - 1].Role)} message")} a {ChatMessage.RoleNameOf(expected)} message must follow";
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
                $"A conversation {purpose} must end with a{(lastRole == ChatRole.Assistant ? "n" : string.Empty)} {ChatMessage.RoleNameOf(lastRole)} message, but this one ends with a {ChatMessage.RoleNameOf(last)} message.",
                location);
        }
    }
}
