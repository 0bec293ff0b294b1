using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Jinja;

/// <summary>Expression evaluation; every value error is reported at the innermost expression.</summary>
internal sealed partial class Interpreter
{
    public object? Evaluate(Expr expression, Scope scope)
    {
        try
        {
            return EvaluateCore(expression, scope);
        }
        catch (TemplateError error)
        {
            throw new LoraException(error.Code, error.Message, Location(expression.Offset));
        }
        catch (OverflowException)
        {
            throw new LoraException(JinjaErrorCodes.TemplateTypeError, "Integer overflow.", Location(expression.Offset));
        }
    }

    private object? EvaluateCore(Expr expression, Scope scope)
    {
        switch (expression)
        {
            case LiteralExpr literal:
                return literal.Value;
            case NameExpr name:
                return scope.TryGet(name.Name, out object? value) ? value : JinjaUndefined.Variable(name.Name);
            case ListExpr list:
                return list.Items.Select(item => Evaluate(item, scope)).ToList();
            case TupleExpr tuple:
                return tuple.Items.Select(item => Evaluate(item, scope)).ToArray();
            case DictExpr dict:
                var result = new PyDict();
                foreach (var (key, item) in dict.Entries)
                {
                    result[HashableKey(Evaluate(key, scope))] = Evaluate(item, scope);
                }

                return result;
            case AttributeExpr attribute:
                return Access.GetAttribute(Evaluate(attribute.Target, scope), attribute.Name);
            case ItemExpr item:
                return Access.GetItem(Evaluate(item.Target, scope), Evaluate(item.Index, scope));
            case SliceExpr slice:
                return Access.Slice(
                    Evaluate(slice.Target, scope),
                    SliceBound(slice.Start, scope),
                    SliceBound(slice.Stop, scope),
                    SliceBound(slice.Step, scope));
            case CallExpr call:
                return Invoke(Evaluate(call.Callee, scope), EvaluateArguments(call.Arguments, scope, call.Offset), call.Offset);
            case FilterExpr filter:
                object? operand = Evaluate(filter.Operand, scope);
                return Filters.Apply(filter.Name, operand, EvaluateArguments(filter.Arguments, scope, filter.Offset));
            case TestExpr test:
                object? subject = Evaluate(test.Operand, scope);
                bool passed = Tests.Apply(test.Name, subject, EvaluateArguments(test.Arguments, scope, test.Offset));
                return passed != test.Negated;
            case UnaryExpr unary:
                object? argument = Evaluate(unary.Operand, scope);
                return unary.Operator switch
                {
                    "not" => !PyOps.IsTrue(argument),
                    "-" => PyOps.Negate(argument),
                    _ => PyOps.IsNumber(argument) ? (argument is bool b ? (b ? 1L : 0L) : argument)
                        : throw TemplateError.Type($"Bad operand type for unary +: '{PyFormat.TypeName(argument)}'."),
                };
            case BinaryExpr binary:
                return EvaluateBinary(binary, scope);
            case CompareExpr compare:
                return EvaluateCompare(compare, scope);
            case ConditionalExpr conditional:
                if (PyOps.IsTrue(Evaluate(conditional.Test, scope)))
                {
                    return Evaluate(conditional.Then, scope);
                }

                return conditional.Else is null ? JinjaUndefined.Variable("conditional expression") : Evaluate(conditional.Else, scope);
            default:
                throw new InvalidOperationException($"Unknown expression {expression.GetType().Name}.");
        }
    }

    private static object HashableKey(object? key) => key switch
    {
        null => throw new TemplateError(JinjaErrorCodes.TemplateUnsupported, "None as a dictionary key is not supported."),
        List<object?> or PyDict or JinjaUndefined => throw TemplateError.Type($"Unhashable type: '{PyFormat.TypeName(key)}'."),
        _ => key,
    };

    private long? SliceBound(Expr? bound, Scope scope)
    {
        if (bound is null)
        {
            return null;
        }

        return Evaluate(bound, scope) switch
        {
            null => null,
            long l => l,
            bool b => b ? 1 : 0,
            var other => throw new LoraException(JinjaErrorCodes.TemplateTypeError,
                $"Slice indices must be integers or None, not {PyFormat.TypeName(other)}.", Location(bound.Offset)),
        };
    }

    private object? EvaluateBinary(BinaryExpr binary, Scope scope)
    {
        object? left = Evaluate(binary.Left, scope);
        switch (binary.Operator)
        {
            case "and":
                return PyOps.IsTrue(left) ? Evaluate(binary.Right, scope) : left;
            case "or":
                return PyOps.IsTrue(left) ? left : Evaluate(binary.Right, scope);
            case "~":
                return PyFormat.Str(left) + PyFormat.Str(Evaluate(binary.Right, scope));
            default:
                return PyOps.Binary(binary.Operator, left, Evaluate(binary.Right, scope));
        }
    }

    private bool EvaluateCompare(CompareExpr compare, Scope scope)
    {
        object? left = Evaluate(compare.First, scope);
        foreach (var (op, rightExpr) in compare.Rest)
        {
            object? right = Evaluate(rightExpr, scope);
            bool holds = op switch
            {
                "==" => PyOps.AreEqual(left, right),
                "!=" => !PyOps.AreEqual(left, right),
                "in" => PyOps.Contains(right, left),
                "not in" => !PyOps.Contains(right, left),
                "<" => PyOps.Compare(left, right, op) < 0,
                ">" => PyOps.Compare(left, right, op) > 0,
                "<=" => PyOps.Compare(left, right, op) <= 0,
                _ => PyOps.Compare(left, right, op) >= 0,
            };
            if (!holds)
            {
                return false;
            }

            left = right;
        }

        return true;
    }

    private CallArguments EvaluateArguments(Arguments arguments, Scope scope, int offset)
    {
        var positional = arguments.Positional.Select(argument => Evaluate(argument, scope)).ToList();
        var keyword = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments.Keyword)
        {
            if (!keyword.TryAdd(name, Evaluate(value, scope)))
            {
                throw new LoraException(JinjaErrorCodes.TemplateSyntax, $"Keyword argument '{name}' is repeated.", Location(offset));
            }
        }

        return new CallArguments(positional, keyword, Location(offset));
    }

    private object? Invoke(object? callee, CallArguments arguments, int offset) => callee switch
    {
        ICallableValue callable => Guard(offset, () => callable.Call(arguments, this)),
        JinjaUndefined undefined => throw new LoraException(JinjaErrorCodes.TemplateUndefined, undefined.Hint + ".", Location(offset)),
        _ => throw new LoraException(JinjaErrorCodes.TemplateTypeError, $"'{PyFormat.TypeName(callee)}' object is not callable.", Location(offset)),
    };
}
