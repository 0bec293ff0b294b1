namespace LoraBuild.Core.Data;

/// <summary>Who speaks a chat message.</summary>
public enum ChatRole
{
    /// <summary>Instructions that frame the conversation; at most one, first.</summary>
    System,

    /// <summary>The person talking to the model.</summary>
    User,

    /// <summary>The model; its messages are what training teaches.</summary>
    Assistant,
}

/// <summary>One message of a conversation.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">What is said, verbatim.</param>
public sealed record ChatMessage(ChatRole Role, string Content)
{
    /// <summary>The role as chat templates and JSON records spell it: <c>system</c>, <c>user</c>, <c>assistant</c>.</summary>
    public string RoleName => RoleNameOf(Role);

    internal static string RoleNameOf(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        ChatRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown chat role."),
    };

    internal static ChatRole? TryParseRole(string name) => name switch
    {
        "system" => ChatRole.System,
        "user" => ChatRole.User,
        "assistant" => ChatRole.Assistant,
        _ => null,
    };
}
