namespace LoraBuild.Core.Jinja;

/// <summary>The object <c>namespace(...)</c> returns: attributes a template may assign from inside loops (<c>{% set ns.x = … %}</c>).</summary>
internal sealed class JinjaNamespace
{
    public Dictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
