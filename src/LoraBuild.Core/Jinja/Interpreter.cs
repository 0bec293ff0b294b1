using System.Text;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Jinja;

/// <summary>Renders a parsed template: runs its statements against a scope and writes the output.</summary>
internal sealed partial class Interpreter
{
    private const int MaxCallDepth = 200;

    private readonly TemplateSource _source;
    private int _callDepth;

    public Interpreter(TemplateSource source, TimeProvider time)
    {
        _source = source;
        Time = time;
    }

    public TimeProvider Time { get; }

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public string Render(IReadOnlyList<Stmt> body, Scope scope)
    {
        var output = new StringBuilder();
        Execute(body, scope, output, loop: null);
        return output.ToString();
    }

    public string Location(int offset) => _source.Location(offset);

    private Flow Execute(IReadOnlyList<Stmt> body, Scope scope, StringBuilder output, LoopContext? loop)
    {
        foreach (Stmt statement in body)
        {
            Flow flow = Execute(statement, scope, output, loop);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    private Flow Execute(Stmt statement, Scope scope, StringBuilder output, LoopContext? loop)
    {
        switch (statement)
        {
            case TextStmt text:
                output.Append(text.Text);
                break;
            case OutputStmt value:
                output.Append(PyFormat.Str(Evaluate(value.Value, scope)));
                break;
            case IfStmt conditional:
                foreach (var (test, branch) in conditional.Branches)
                {
                    if (PyOps.IsTrue(Evaluate(test, scope)))
                    {
                        return Execute(branch, scope, output, loop);
                    }
                }

                return Execute(conditional.Else, scope, output, loop);
            case ForStmt forLoop:
                ExecuteFor(forLoop, scope, output, loop);
                break;
            case SetStmt set:
                Assign(set.Target, Evaluate(set.Value, scope), scope);
                break;
            case SetBlockStmt setBlock:
                Assign(setBlock.Target, ApplyFilters(setBlock.Filters, RenderNested(setBlock.Body, scope, loop), scope), scope);
                break;
            case MacroStmt macro:
                scope.Set(macro.Name, new Macro(macro.Name, macro.Parameters, macro.Body, scope, macro.Offset));
                break;
            case CallBlockStmt callBlock:
                output.Append(PyFormat.Str(EvaluateCallBlock(callBlock, scope)));
                break;
            case FilterBlockStmt filterBlock:
                output.Append(PyFormat.Str(ApplyFilters(filterBlock.Filters, RenderNested(filterBlock.Body, scope, loop), scope)));
                break;
            case BreakStmt brk:
                return loop is null ? throw SyntaxOutsideLoop(brk.Offset, "break") : Flow.Break;
            case ContinueStmt cont:
                return loop is null ? throw SyntaxOutsideLoop(cont.Offset, "continue") : Flow.Continue;
            default:
                throw new InvalidOperationException($"Unknown statement {statement.GetType().Name}.");
        }

        return Flow.Normal;
    }

    private LoraException SyntaxOutsideLoop(int offset, string keyword) =>
        new(JinjaErrorCodes.TemplateSyntax, $"'{{% {keyword} %}}' is outside of a for loop.", Location(offset));

    private string RenderNested(IReadOnlyList<Stmt> body, Scope scope, LoopContext? loop)
    {
        var output = new StringBuilder();
        Execute(body, scope, output, loop);
        return output.ToString();
    }

    private void ExecuteFor(ForStmt forLoop, Scope scope, StringBuilder output, LoopContext? outer)
    {
        IReadOnlyList<object?> items = Guard(forLoop.Iterable.Offset, () => PyOps.Iterate(Evaluate(forLoop.Iterable, scope)));
        if (forLoop.Condition is not null)
        {
            var kept = new List<object?>();
            foreach (object? item in items)
            {
                var probe = new Scope(scope);
                Assign(forLoop.Target, item, probe);
                if (PyOps.IsTrue(Evaluate(forLoop.Condition, probe)))
                {
                    kept.Add(item);
                }
            }

            items = kept;
        }

        if (items.Count == 0)
        {
            Execute(forLoop.Else, scope, output, outer);
            return;
        }

        var loop = new LoopContext(items);
        for (int i = 0; i < items.Count; i++)
        {
            loop.Index0 = i;
            var iteration = new Scope(scope);
            iteration.Set("loop", loop);
            Assign(forLoop.Target, items[i], iteration);
            if (Execute(forLoop.Body, iteration, output, loop) == Flow.Break)
            {
                break;
            }
        }
    }

    private void Assign(Target target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameTarget name:
                scope.Set(name.Name, value);
                break;
            case TupleTarget tuple:
                IReadOnlyList<object?> values = Guard(tuple.Offset, () => PyOps.Iterate(value));
                if (values.Count != tuple.Items.Count)
                {
                    throw new LoraException(JinjaErrorCodes.TemplateTypeError,
                        $"Cannot unpack {values.Count} value(s) into {tuple.Items.Count} names.", Location(tuple.Offset));
                }

                for (int i = 0; i < values.Count; i++)
                {
                    Assign(tuple.Items[i], values[i], scope);
                }

                break;
            case AttributeTarget attribute:
                scope.TryGet(attribute.Object, out object? owner);
                if (owner is not JinjaNamespace ns)
                {
                    throw new LoraException(JinjaErrorCodes.TemplateTypeError,
                        $"Cannot assign attribute on non-namespace object '{attribute.Object}'.", Location(attribute.Offset));
                }

                ns.Attributes[attribute.Attribute] = value;
                break;
        }
    }

    private object? ApplyFilters(IReadOnlyList<FilterCall> filters, object? value, Scope scope)
    {
        foreach (FilterCall filter in filters)
        {
            var arguments = EvaluateArguments(filter.Arguments, scope, filter.Offset);
            value = Guard(filter.Offset, () => Filters.Apply(filter.Name, value, arguments));
        }

        return value;
    }

    private object? EvaluateCallBlock(CallBlockStmt callBlock, Scope scope)
    {
        object? callee = Evaluate(callBlock.Call.Callee, scope);
        var arguments = EvaluateArguments(callBlock.Call.Arguments, scope, callBlock.Offset);
        var keyword = new Dictionary<string, object?>(arguments.Keyword, StringComparer.Ordinal)
        {
            ["caller"] = new Macro("caller", callBlock.CallerParameters, callBlock.Body, scope, callBlock.Offset),
        };
        return Invoke(callee, new CallArguments(arguments.Positional, keyword, arguments.Location), callBlock.Call.Offset);
    }

    /// <summary>Runs an operation on values, giving any <see cref="TemplateError"/> the template location.</summary>
    private T Guard<T>(int offset, Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (TemplateError error)
        {
            throw new LoraException(error.Code, error.Message, Location(offset));
        }
        catch (OverflowException)
        {
            throw new LoraException(JinjaErrorCodes.TemplateTypeError, "Integer overflow.", Location(offset));
        }
    }

    internal object? CallMacro(Macro macro, CallArguments arguments)
    {
        if (++_callDepth > MaxCallDepth)
        {
            _callDepth = 0;
            throw new LoraException(JinjaErrorCodes.TemplateTypeError,
                $"Macro '{macro.Name}' recursed deeper than {MaxCallDepth} calls.", Location(macro.Offset));
        }

        try
        {
            var scope = new Scope(macro.Closure);
            var extraPositional = new List<object?>();
            for (int i = 0; i < arguments.Positional.Count; i++)
            {
                if (i < macro.Parameters.Count)
                {
                    scope.Set(macro.Parameters[i].Name, arguments.Positional[i]);
                }
                else
                {
                    extraPositional.Add(arguments.Positional[i]);
                }
            }

            var extraKeyword = new PyDict();
            foreach (var (key, value) in arguments.Keyword)
            {
                int index = IndexOfParameter(macro.Parameters, key);
                if (index >= 0 && index < arguments.Positional.Count)
                {
                    throw new LoraException(JinjaErrorCodes.TemplateTypeError,
                        $"Macro '{macro.Name}' got multiple values for argument '{key}'.", arguments.Location);
                }

                if (index >= 0 || key == "caller")
                {
                    scope.Set(key, value);
                }
                else
                {
                    extraKeyword[key] = value;
                }
            }

            for (int i = arguments.Positional.Count; i < macro.Parameters.Count; i++)
            {
                Parameter parameter = macro.Parameters[i];
                if (!arguments.Keyword.ContainsKey(parameter.Name))
                {
                    scope.Set(parameter.Name, parameter.Default is null
                        ? JinjaUndefined.Variable(parameter.Name)
                        : Evaluate(parameter.Default, scope));
                }
            }

            scope.Set("varargs", extraPositional);
            scope.Set("kwargs", extraKeyword);
            return RenderNested(macro.Body, scope, loop: null);
        }
        finally
        {
            _callDepth = Math.Max(0, _callDepth - 1);
        }
    }

    private static int IndexOfParameter(IReadOnlyList<Parameter> parameters, string name)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
