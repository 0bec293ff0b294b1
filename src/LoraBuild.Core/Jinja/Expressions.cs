namespace LoraBuild.Core.Jinja;

/// <summary>An expression node; <see cref="Offset"/> locates it in the template for error messages.</summary>
internal abstract record Expr(int Offset);

internal sealed record LiteralExpr(int Offset, object? Value) : Expr(Offset);

internal sealed record NameExpr(int Offset, string Name) : Expr(Offset);

internal sealed record ListExpr(int Offset, IReadOnlyList<Expr> Items) : Expr(Offset);

internal sealed record TupleExpr(int Offset, IReadOnlyList<Expr> Items) : Expr(Offset);

internal sealed record DictExpr(int Offset, IReadOnlyList<KeyValuePair<Expr, Expr>> Entries) : Expr(Offset);

internal sealed record AttributeExpr(int Offset, Expr Target, string Name) : Expr(Offset);

internal sealed record ItemExpr(int Offset, Expr Target, Expr Index) : Expr(Offset);

internal sealed record SliceExpr(int Offset, Expr Target, Expr? Start, Expr? Stop, Expr? Step) : Expr(Offset);

internal sealed record CallExpr(int Offset, Expr Callee, Arguments Arguments) : Expr(Offset);

internal sealed record FilterExpr(int Offset, Expr Operand, string Name, Arguments Arguments) : Expr(Offset);

internal sealed record TestExpr(int Offset, Expr Operand, string Name, Arguments Arguments, bool Negated) : Expr(Offset);

/// <summary><c>-</c>, <c>+</c> or <c>not</c>.</summary>
internal sealed record UnaryExpr(int Offset, string Operator, Expr Operand) : Expr(Offset);

/// <summary>Arithmetic, <c>~</c>, <c>and</c>, <c>or</c>.</summary>
internal sealed record BinaryExpr(int Offset, string Operator, Expr Left, Expr Right) : Expr(Offset);

/// <summary>A comparison chain as in Python: <c>a &lt; b &lt; c</c> means <c>a &lt; b and b &lt; c</c>.</summary>
internal sealed record CompareExpr(int Offset, Expr First, IReadOnlyList<KeyValuePair<string, Expr>> Rest) : Expr(Offset);

/// <summary><c>a if test else b</c>; without <c>else</c> the result is undefined when the test fails.</summary>
internal sealed record ConditionalExpr(int Offset, Expr Test, Expr Then, Expr? Else) : Expr(Offset);

/// <summary>Arguments of a call, filter or test: positional ones, then keyword ones.</summary>
internal sealed record Arguments(IReadOnlyList<Expr> Positional, IReadOnlyList<KeyValuePair<string, Expr>> Keyword)
{
    public static readonly Arguments None = new([], []);
}
