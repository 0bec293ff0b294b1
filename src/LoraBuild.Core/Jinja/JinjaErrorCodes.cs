namespace LoraBuild.Core.Jinja;

/// <summary>Codes for chat-template (Jinja) errors (range LORA1180–LORA1189).</summary>
public static class JinjaErrorCodes
{
    /// <summary>The chat template is not valid Jinja: an unknown tag, an unclosed block or string, or an unexpected token. The location gives the template line and column.</summary>
    public const string TemplateSyntax = "LORA1180";

    /// <summary>The chat template called <c>raise_exception</c>: it refuses this conversation (for example roles that do not alternate user/assistant). The message is the template's own.</summary>
    public const string TemplateRaised = "LORA1181";

    /// <summary>An operation in the chat template does not apply to its values (for example adding a string to a number, or iterating over none).</summary>
    public const string TemplateTypeError = "LORA1182";

    /// <summary>The chat template uses a filter, test, function or method this interpreter does not provide.</summary>
    public const string TemplateUnsupported = "LORA1183";

    /// <summary>The chat template uses an undefined value where a value is required (an attribute of an undefined variable, arithmetic on it, or its JSON).</summary>
    public const string TemplateUndefined = "LORA1184";

    /// <summary>A value passed to a chat template (a message field, a tool, an extra variable) has a .NET type the template interpreter cannot represent.</summary>
    public const string TemplateValueUnsupported = "LORA1185";
}
