namespace LoraBuild.Core.Jinja;

/// <summary>A macro defined with <c>{% macro %}</c> (or the body of a <c>{% call %}</c> block, as <c>caller</c>): it renders its body with the arguments bound.</summary>
internal sealed class Macro : ICallableValue
{
    public Macro(string name, IReadOnlyList<Parameter> parameters, IReadOnlyList<Stmt> body, Scope closure, int offset)
    {
        Name = name;
        Parameters = parameters;
        Body = body;
        Closure = closure;
        Offset = offset;
    }

    public string Name { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    public IReadOnlyList<Stmt> Body { get; }

    public Scope Closure { get; }

    public int Offset { get; }

    public object? Call(CallArguments arguments, Interpreter interpreter) => interpreter.CallMacro(this, arguments);

    public override string ToString() => $"<Macro '{Name}'>";
}
