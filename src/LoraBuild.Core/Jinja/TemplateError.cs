namespace LoraBuild.Core.Jinja;

/// <summary>
/// An error raised by a value operation that does not know where in the template it is; the interpreter turns it
/// into a <see cref="Diagnostics.LoraException"/> located at the innermost expression being evaluated.
/// </summary>
internal sealed class TemplateError : Exception
{
    public TemplateError(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public TemplateError()
        : this(JinjaErrorCodes.TemplateTypeError, "Template error.")
    {
    }

    public TemplateError(string message)
        : this(JinjaErrorCodes.TemplateTypeError, message)
    {
    }

    public TemplateError(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = JinjaErrorCodes.TemplateTypeError;
    }

    public string Code { get; }

    public static TemplateError Type(string message) => new(JinjaErrorCodes.TemplateTypeError, message);

    public static TemplateError Undefined(JinjaUndefined undefined) => new(JinjaErrorCodes.TemplateUndefined, undefined.Hint + ".");
}
