namespace LoraBuild.Core.Jinja;

/// <summary>
/// A Jinja template parsed once and rendered many times, with the settings transformers uses for chat templates
/// (<c>trim_blocks</c>, <c>lstrip_blocks</c>, no autoescaping, <c>tojson</c>, <c>raise_exception</c>, <c>strftime_now</c>).
/// Syntax errors are <see cref="Diagnostics.LoraException"/>s located at <c>name:line:column</c>.
/// </summary>
public sealed class JinjaTemplate
{
    private readonly TemplateSource _source;
    private readonly IReadOnlyList<Stmt> _body;

    private JinjaTemplate(TemplateSource source, IReadOnlyList<Stmt> body)
    {
        _source = source;
        _body = body;
    }

    /// <summary>The name used in error locations (a file, or a file and a setting).</summary>
    public string Name => _source.Name;

    public static JinjaTemplate Parse(string text, string name = "chat_template")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        var source = new TemplateSource(name, text);
        return new JinjaTemplate(source, Parser.Parse(source));
    }

    /// <summary>
    /// Renders with the given variables: strings, numbers, booleans, null, lists, dictionaries (string keys, kept in
    /// order) and JSON elements or nodes. <paramref name="time"/> answers <c>strftime_now</c> (local time).
    /// </summary>
    public string Render(IReadOnlyDictionary<string, object?> variables, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var globals = new Scope(null);
        Globals.AddTo(globals);
        var scope = new Scope(globals);
        foreach (var (key, value) in variables)
        {
            scope.Set(key, JinjaValues.FromDotNet(value, key));
        }

        return new Interpreter(_source, time ?? TimeProvider.System).Render(_body, scope);
    }
}
