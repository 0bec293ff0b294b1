namespace LoraBuild.Core.Jinja;

/// <summary>
/// Renders a conversation with a model's chat template as transformers' <c>apply_chat_template</c> does: the template
/// sees <c>messages</c>, <c>add_generation_prompt</c>, <c>tools</c> and <c>documents</c> (none unless given),
/// <c>bos_token</c>, <c>eos_token</c> and any extra variables (other special tokens, <c>enable_thinking</c>, …).
/// </summary>
public static class ChatTemplateRenderer
{
    public static string Render(
        JinjaTemplate template,
        IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt,
        string? bosToken,
        string? eosToken,
        IReadOnlyDictionary<string, object?>? extra = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(messages);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["messages"] = messages.Select(message => message.ToTemplateValue()).ToList(),
            ["tools"] = null,
            ["documents"] = null,
            ["add_generation_prompt"] = addGenerationPrompt,
        };
        if (bosToken is not null)
        {
            variables["bos_token"] = bosToken;
        }

        if (eosToken is not null)
        {
            variables["eos_token"] = eosToken;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, object?>())
        {
            variables[key] = value;
        }

        return template.Render(variables, time);
    }

    /// <inheritdoc cref="Render(JinjaTemplate, IReadOnlyList{ChatMessage}, bool, string?, string?, IReadOnlyDictionary{string, object?}?, TimeProvider?)"/>
    public static string Render(
        string template,
        IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt,
        string? bosToken,
        string? eosToken,
        IReadOnlyDictionary<string, object?>? extra = null,
        TimeProvider? time = null) =>
        Render(JinjaTemplate.Parse(template), messages, addGenerationPrompt, bosToken, eosToken, extra, time);
}
