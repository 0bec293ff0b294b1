namespace LoraBuild.Core.Jinja;

/// <summary>Something a template can call: a built-in function, a bound method, a macro or <c>caller</c>.</summary>
internal interface ICallableValue
{
    string Name { get; }

    object? Call(CallArguments arguments, Interpreter interpreter);
}

/// <summary>A callable backed by a delegate.</summary>
internal sealed class BuiltinFunction : ICallableValue
{
    private readonly Func<CallArguments, Interpreter, object?> _body;

    public BuiltinFunction(string name, Func<CallArguments, Interpreter, object?> body)
    {
        Name = name;
        _body = body;
    }

    public string Name { get; }

    public object? Call(CallArguments arguments, Interpreter interpreter) => _body(arguments, interpreter);

    public override string ToString() => $"<built-in function {Name}>";
}
