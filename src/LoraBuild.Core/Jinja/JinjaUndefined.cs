namespace LoraBuild.Core.Jinja;

/// <summary>
/// Jinja's default <c>Undefined</c>: what a missing variable, attribute or item evaluates to. It is falsy, renders as
/// nothing, iterates as empty and has length 0; reading an attribute of it or doing arithmetic with it is an error.
/// </summary>
public sealed class JinjaUndefined
{
    internal JinjaUndefined(string hint)
    {
        Hint = hint;
    }

    /// <summary>Why the value is undefined, as Jinja words it: <c>'x' is undefined</c>.</summary>
    public string Hint { get; }

    internal static JinjaUndefined Variable(string name) => new($"'{name}' is undefined");

    internal static JinjaUndefined Attribute(object? owner, string name) =>
        new($"'{PyFormat.TypeDescription(owner)}' has no attribute '{name}'");

    public override string ToString() => "";
}
