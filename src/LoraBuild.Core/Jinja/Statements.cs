namespace LoraBuild.Core.Jinja;

/// <summary>A statement node of the template body.</summary>
internal abstract record Stmt(int Offset);

internal sealed record TextStmt(int Offset, string Text) : Stmt(Offset);

internal sealed record OutputStmt(int Offset, Expr Value) : Stmt(Offset);

internal sealed record IfStmt(int Offset, IReadOnlyList<KeyValuePair<Expr, IReadOnlyList<Stmt>>> Branches, IReadOnlyList<Stmt> Else) : Stmt(Offset);

internal sealed record ForStmt(int Offset, Target Target, Expr Iterable, Expr? Condition, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt> Else) : Stmt(Offset);

internal sealed record SetStmt(int Offset, Target Target, Expr Value) : Stmt(Offset);

/// <summary><c>{% set x %}…{% endset %}</c>: the rendered body, through optional filters, is assigned.</summary>
internal sealed record SetBlockStmt(int Offset, Target Target, IReadOnlyList<FilterCall> Filters, IReadOnlyList<Stmt> Body) : Stmt(Offset);

internal sealed record MacroStmt(int Offset, string Name, IReadOnlyList<Parameter> Parameters, IReadOnlyList<Stmt> Body) : Stmt(Offset);

/// <summary><c>{% call(params) macro(args) %}body{% endcall %}</c>: the body becomes the macro's <c>caller()</c>.</summary>
internal sealed record CallBlockStmt(int Offset, CallExpr Call, IReadOnlyList<Parameter> CallerParameters, IReadOnlyList<Stmt> Body) : Stmt(Offset);

internal sealed record FilterBlockStmt(int Offset, IReadOnlyList<FilterCall> Filters, IReadOnlyList<Stmt> Body) : Stmt(Offset);

internal sealed record BreakStmt(int Offset) : Stmt(Offset);

internal sealed record ContinueStmt(int Offset) : Stmt(Offset);

/// <summary>Assignment target: a name, names to unpack, or a namespace attribute (<c>ns.x</c>).</summary>
internal abstract record Target(int Offset);

internal sealed record NameTarget(int Offset, string Name) : Target(Offset);

internal sealed record TupleTarget(int Offset, IReadOnlyList<Target> Items) : Target(Offset);

internal sealed record AttributeTarget(int Offset, string Object, string Attribute) : Target(Offset);

internal sealed record Parameter(string Name, Expr? Default);

internal sealed record FilterCall(int Offset, string Name, Arguments Arguments);
