namespace LoraBuild.Core.Jinja;

/// <summary>
/// One turn of a conversation as a chat template sees it: <c>message['role']</c>, <c>message['content']</c> and any
/// other fields (<c>tool_calls</c>, <c>reasoning_content</c>, <c>name</c>, …) in <see cref="Fields"/>.
/// </summary>
public sealed record ChatMessage(string Role, string? Content)
{
    /// <summary>More fields of the message, in order; values as <see cref="JinjaTemplate.Render"/> accepts them. A <c>content</c> here replaces <see cref="Content"/> (for content given as a list of parts).</summary>
    public IReadOnlyDictionary<string, object?>? Fields { get; init; }

    internal Dictionary<string, object?> ToTemplateValue()
    {
        var value = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["role"] = Role,
            ["content"] = Content,
        };
        foreach (var (key, field) in Fields ?? new Dictionary<string, object?>())
        {
            value[key] = field;
        }

        return value;
    }
}
