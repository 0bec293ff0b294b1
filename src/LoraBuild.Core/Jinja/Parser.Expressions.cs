using System.Globalization;

namespace LoraBuild.Core.Jinja;

/// <summary>Expressions, lowest precedence first: conditional, or, and, not, comparisons, + -, ~, * / // %, **, unary, postfix and filters/tests.</summary>
internal sealed partial class Parser
{
    private Expr ParseTuple(bool withCondition = true)
    {
        int offset = Current.Offset;
        var items = new List<Expr>();
        bool sawComma = false;
        while (true)
        {
            if (items.Count > 0)
            {
                if (!Current.IsOperator(","))
                {
                    break;
                }

                _index++;
                sawComma = true;
                if (!CanStartExpression(Current))
                {
                    break;
                }
            }

            items.Add(ParseExpression(withCondition));
        }

        return sawComma ? new TupleExpr(offset, items) : items[0];
    }

    private static bool CanStartExpression(Token token) => token.Kind switch
    {
        TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float => true,
        TokenKind.Operator => token.Value is "(" or "[" or "{" or "-" or "+",
        _ => false,
    };

    private Expr ParseExpression(bool withCondition = true) => withCondition ? ParseConditional() : ParseOr();

    private Expr ParseConditional()
    {
        Expr value = ParseOr();
        while (Current.IsName("if"))
        {
            int offset = Next().Offset;
            Expr test = ParseOr();
            Expr? otherwise = null;
            if (Current.IsName("else"))
            {
                _index++;
                otherwise = ParseConditional();
            }

            value = new ConditionalExpr(offset, test, value, otherwise);
        }

        return value;
    }

    private Expr ParseOr()
    {
        Expr left = ParseAnd();
        while (Current.IsName("or"))
        {
            int offset = Next().Offset;
            left = new BinaryExpr(offset, "or", left, ParseAnd());
        }

        return left;
    }

    private Expr ParseAnd()
    {
        Expr left = ParseNot();
        while (Current.IsName("and"))
        {
            int offset = Next().Offset;
            left = new BinaryExpr(offset, "and", left, ParseNot());
        }

        return left;
    }

    private Expr ParseNot()
    {
        if (Current.IsName("not"))
        {
            int offset = Next().Offset;
            return new UnaryExpr(offset, "not", ParseNot());
        }

        return ParseCompare();
    }

    private Expr ParseCompare()
    {
        Expr first = ParseAdditive();
        var rest = new List<KeyValuePair<string, Expr>>();
        while (true)
        {
            Token token = Current;
            string op;
            if (token.Kind == TokenKind.Operator && token.Value is "==" or "!=" or "<" or ">" or "<=" or ">=")
            {
                op = token.Value;
                _index++;
            }
            else if (token.IsName("in"))
            {
                op = "in";
                _index++;
            }
            else if (token.IsName("not") && Peek().IsName("in"))
            {
                op = "not in";
                _index += 2;
            }
            else
            {
                break;
            }

            rest.Add(new(op, ParseAdditive()));
        }

        return rest.Count == 0 ? first : new CompareExpr(first.Offset, first, rest);
    }

    private Expr ParseAdditive()
    {
        Expr left = ParseConcat();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
        {
            Token op = Next();
            left = new BinaryExpr(op.Offset, op.Value, left, ParseConcat());
        }

        return left;
    }

    private Expr ParseConcat()
    {
        Expr left = ParseMultiplicative();
        while (Current.IsOperator("~"))
        {
            Token op = Next();
            left = new BinaryExpr(op.Offset, "~", left, ParseMultiplicative());
        }

        return left;
    }

    private Expr ParseMultiplicative()
    {
        Expr left = ParsePower();
        while (Current.Kind == TokenKind.Operator && Current.Value is "*" or "/" or "//" or "%")
        {
            Token op = Next();
            left = new BinaryExpr(op.Offset, op.Value, left, ParsePower());
        }

        return left;
    }

    private Expr ParsePower()
    {
        Expr left = ParseUnary(withFilters: true);
        while (Current.IsOperator("**"))
        {
            Token op = Next();
            left = new BinaryExpr(op.Offset, "**", left, ParseUnary(withFilters: true));
        }

        return left;
    }

    private Expr ParseUnary(bool withFilters)
    {
        Expr node;
        if (Current.IsOperator("-") || Current.IsOperator("+"))
        {
            Token op = Next();
            node = new UnaryExpr(op.Offset, op.Value, ParseUnary(withFilters: false));
        }
        else
        {
            node = ParsePrimary();
        }

        node = ParsePostfix(node);
        return withFilters ? ParseFiltersAndTests(node) : node;
    }

    private Expr ParsePrimary()
    {
        Token token = Next();
        switch (token.Kind)
        {
            case TokenKind.Name:
                return token.Value switch
                {
                    "true" or "True" => new LiteralExpr(token.Offset, true),
                    "false" or "False" => new LiteralExpr(token.Offset, false),
                    "none" or "None" => new LiteralExpr(token.Offset, null),
                    _ => new NameExpr(token.Offset, token.Value),
                };
            case TokenKind.String:
                string text = token.Value;
                while (Current.Kind == TokenKind.String)
                {
                    text += Next().Value;
                }

                return new LiteralExpr(token.Offset, text);
            case TokenKind.Integer:
                return new LiteralExpr(token.Offset, ParseInteger(token));
            case TokenKind.Float:
                return new LiteralExpr(token.Offset, double.Parse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
            case TokenKind.Operator when token.Value == "(":
                if (Current.IsOperator(")"))
                {
                    _index++;
                    return new TupleExpr(token.Offset, []);
                }

                Expr inner = ParseTuple();
                ExpectOperator(")");
                return inner;
            case TokenKind.Operator when token.Value == "[":
                return new ListExpr(token.Offset, ParseSequence("]"));
            case TokenKind.Operator when token.Value == "{":
                return ParseDict(token.Offset);
            default:
                throw Error(token.Offset, $"Unexpected {token}.");
        }
    }

    private List<Expr> ParseSequence(string close)
    {
        var items = new List<Expr>();
        while (!Current.IsOperator(close))
        {
            if (items.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator(close))
                {
                    break;
                }
            }

            items.Add(ParseExpression());
        }

        _index++;
        return items;
    }

    private DictExpr ParseDict(int offset)
    {
        var entries = new List<KeyValuePair<Expr, Expr>>();
        while (!Current.IsOperator("}"))
        {
            if (entries.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator("}"))
                {
                    break;
                }
            }

            Expr key = ParseExpression();
            ExpectOperator(":");
            entries.Add(new(key, ParseExpression()));
        }

        _index++;
        return new DictExpr(offset, entries);
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            Token token = Current;
            if (token.IsOperator("."))
            {
                _index++;
                Token attribute = Next();
                node = attribute.Kind switch
                {
                    TokenKind.Name => new AttributeExpr(token.Offset, node, attribute.Value),
                    TokenKind.Integer => new ItemExpr(token.Offset, node, new LiteralExpr(attribute.Offset, ParseInteger(attribute))),
                    _ => throw Error(attribute.Offset, $"Expected an attribute name after '.', got {attribute}."),
                };
            }
            else if (token.IsOperator("["))
            {
                _index++;
                node = ParseSubscript(token.Offset, node);
            }
            else if (token.IsOperator("("))
            {
                node = new CallExpr(node.Offset, node, ParseArguments());
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(int offset, Expr target)
    {
        Expr? start = null;
        if (!Current.IsOperator(":"))
        {
            start = ParseTuple();
            if (Current.IsOperator("]"))
            {
                _index++;
                return new ItemExpr(offset, target, start);
            }
        }

        ExpectOperator(":");
        Expr? stop = Current.IsOperator(":") || Current.IsOperator("]") ? null : ParseExpression();
        Expr? step = null;
        if (Current.IsOperator(":"))
        {
            _index++;
            step = Current.IsOperator("]") ? null : ParseExpression();
        }

        ExpectOperator("]");
        return new SliceExpr(offset, target, start, stop, step);
    }

    private Arguments ParseArguments()
    {
        ExpectOperator("(");
        var positional = new List<Expr>();
        var keyword = new List<KeyValuePair<string, Expr>>();
        while (!Current.IsOperator(")"))
        {
            if (positional.Count + keyword.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator(")"))
                {
                    break;
                }
            }

            if (Current.Kind == TokenKind.Operator && Current.Value is "*" or "**")
            {
                throw Unsupported(Current.Offset, "Argument unpacking with '*' or '**' is not supported.");
            }

            if (Current.Kind == TokenKind.Name && Peek().IsOperator("="))
            {
                string name = Next().Value;
                _index++;
                keyword.Add(new(name, ParseExpression()));
            }
            else if (keyword.Count > 0)
            {
                throw Error(Current.Offset, "A positional argument follows a keyword argument.");
            }
            else
            {
                positional.Add(ParseExpression());
            }
        }

        _index++;
        return new Arguments(positional, keyword);
    }

    private Expr ParseFiltersAndTests(Expr node)
    {
        while (true)
        {
            Token token = Current;
            if (token.IsOperator("|"))
            {
                _index++;
                Token name = ExpectKind(TokenKind.Name);
                node = new FilterExpr(name.Offset, node, name.Value, Current.IsOperator("(") ? ParseArguments() : Arguments.None);
            }
            else if (token.IsName("is"))
            {
                _index++;
                bool negated = Current.IsName("not");
                if (negated)
                {
                    _index++;
                }

                Token name = ExpectKind(TokenKind.Name);
                node = new TestExpr(name.Offset, node, name.Value, ParseTestArguments(), negated);
            }
            else if (token.IsOperator("("))
            {
                node = new CallExpr(node.Offset, node, ParseArguments());
            }
            else
            {
                return node;
            }
        }
    }

    // A test takes arguments in parentheses or a single bare one: `x is divisibleby 3`, `x is sameas none`.
    private Arguments ParseTestArguments()
    {
        if (Current.IsOperator("("))
        {
            return ParseArguments();
        }

        Token token = Current;
        bool bare = token.Kind is TokenKind.String or TokenKind.Integer or TokenKind.Float
            || (token.Kind == TokenKind.Name && token.Value is not ("else" or "or" or "and"))
            || token.IsOperator("[") || token.IsOperator("{");
        if (!bare)
        {
            return Arguments.None;
        }

        if (token.IsName("is"))
        {
            throw Error(token.Offset, "Tests cannot be chained with 'is'.");
        }

        return new Arguments([ParsePostfix(ParsePrimary())], []);
    }
}
