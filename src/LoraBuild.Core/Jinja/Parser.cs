using System.Globalization;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Jinja;

/// <summary>Builds the statement tree of a template from its tokens, with Jinja's statements and operator precedence.</summary>
internal sealed partial class Parser
{
    private readonly TemplateSource _source;
    private readonly List<Token> _tokens;
    private int _index;

    private Parser(TemplateSource source, List<Token> tokens)
    {
        _source = source;
        _tokens = tokens;
    }

    public static IReadOnlyList<Stmt> Parse(TemplateSource source)
    {
        var parser = new Parser(source, Lexer.Tokenize(source));
        var (body, end) = parser.ParseBody([]);
        if (end is not null)
        {
            throw parser.Error(parser.Current.Offset, $"Unexpected '{{% {end} %}}' without a matching opening tag.");
        }

        return body;
    }

    private Token Current => _tokens[_index];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Next() => _tokens[_index++];

    // Parses statements until one of the end tags (returned, its name consumed) or the end of the template (null).
    private (List<Stmt> Body, string? End) ParseBody(IReadOnlyCollection<string> ends)
    {
        var body = new List<Stmt>();
        while (true)
        {
            Token token = Current;
            switch (token.Kind)
            {
                case TokenKind.End:
                    return (body, null);
                case TokenKind.Text:
                    body.Add(new TextStmt(token.Offset, token.Value));
                    _index++;
                    break;
                case TokenKind.VariableBegin:
                    _index++;
                    body.Add(new OutputStmt(token.Offset, ParseTuple()));
                    Expect(TokenKind.VariableEnd);
                    break;
                case TokenKind.BlockBegin:
                    Token name = Peek();
                    if (name.Kind == TokenKind.Name && (ends.Contains(name.Value) || IsEndTag(name.Value)))
                    {
                        if (!ends.Contains(name.Value))
                        {
                            throw Error(name.Offset, ends.Count == 0
                                ? $"Unexpected '{name.Value}': no open block here."
                                : $"Unexpected '{name.Value}', expected one of: {string.Join(", ", ends)}.");
                        }

                        _index += 2;
                        return (body, name.Value);
                    }

                    _index++;
                    ParseStatement(body);
                    break;
                default:
                    throw Error(token.Offset, $"Unexpected {token}.");
            }
        }
    }

    private static bool IsEndTag(string name) => name.StartsWith("end", StringComparison.Ordinal) || name is "else" or "elif";

    private List<Stmt> ParseBlockBody(string end, string opener, int openerOffset)
    {
        var (body, found) = ParseBody([end]);
        if (found is null)
        {
            throw Error(openerOffset, $"'{{% {opener} %}}' is never closed: expected '{{% {end} %}}'.");
        }

        Expect(TokenKind.BlockEnd);
        return body;
    }

    private void ParseStatement(List<Stmt> body)
    {
        Token keyword = Current;
        if (keyword.Kind != TokenKind.Name)
        {
            throw Error(keyword.Offset, $"Expected a statement name after '{{%', got {keyword}.");
        }

        _index++;
        switch (keyword.Value)
        {
            case "if":
                body.Add(ParseIf(keyword.Offset));
                break;
            case "for":
                body.Add(ParseFor(keyword.Offset));
                break;
            case "set":
                body.Add(ParseSet(keyword.Offset));
                break;
            case "macro":
                body.Add(ParseMacro(keyword.Offset));
                break;
            case "call":
                body.Add(ParseCallBlock(keyword.Offset));
                break;
            case "filter":
                var filters = ParseFilterChain();
                Expect(TokenKind.BlockEnd);
                body.Add(new FilterBlockStmt(keyword.Offset, filters, ParseBlockBody("endfilter", "filter", keyword.Offset)));
                break;
            case "break":
                Expect(TokenKind.BlockEnd);
                body.Add(new BreakStmt(keyword.Offset));
                break;
            case "continue":
                Expect(TokenKind.BlockEnd);
                body.Add(new ContinueStmt(keyword.Offset));
                break;
            case "generation":
                // transformers' extension marks assistant text for masks; it renders its body unchanged.
                Expect(TokenKind.BlockEnd);
                body.AddRange(ParseBlockBody("endgeneration", "generation", keyword.Offset));
                break;
            default:
                throw Error(keyword.Offset, $"Unknown tag '{keyword.Value}'.");
        }
    }

    private IfStmt ParseIf(int offset)
    {
        var branches = new List<KeyValuePair<Expr, IReadOnlyList<Stmt>>>();
        IReadOnlyList<Stmt> elseBody = [];
        Expr test = ParseTuple(withCondition: false);
        while (true)
        {
            Expect(TokenKind.BlockEnd);
            var (body, end) = ParseBody(["elif", "else", "endif"]);
            branches.Add(new(test, body));
            switch (end)
            {
                case null:
                    throw Error(offset, "'{% if %}' is never closed: expected '{% endif %}'.");
                case "elif":
                    test = ParseTuple(withCondition: false);
                    continue;
                case "else":
                    Expect(TokenKind.BlockEnd);
                    elseBody = ParseBlockBody("endif", "if", offset);
                    break;
                default:
                    Expect(TokenKind.BlockEnd);
                    break;
            }

            return new IfStmt(offset, branches, elseBody);
        }
    }

    private ForStmt ParseFor(int offset)
    {
        Target target = ParseTarget(allowAttribute: false);
        ExpectName("in");
        Expr iterable = ParseTuple(withCondition: false);
        Expr? condition = null;
        if (Current.IsName("if"))
        {
            _index++;
            condition = ParseExpression(withCondition: false);
        }

        if (Current.IsName("recursive"))
        {
            throw Unsupported(Current.Offset, "Recursive for loops are not supported.");
        }

        Expect(TokenKind.BlockEnd);
        var (body, end) = ParseBody(["else", "endfor"]);
        IReadOnlyList<Stmt> elseBody = [];
        if (end is null)
        {
            throw Error(offset, "'{% for %}' is never closed: expected '{% endfor %}'.");
        }

        Expect(TokenKind.BlockEnd);
        if (end == "else")
        {
            elseBody = ParseBlockBody("endfor", "for", offset);
        }

        return new ForStmt(offset, target, iterable, condition, body, elseBody);
    }

    private Stmt ParseSet(int offset)
    {
        Target target = ParseTarget(allowAttribute: true);
        if (Current.IsOperator("="))
        {
            _index++;
            Expr value = ParseTuple();
            Expect(TokenKind.BlockEnd);
            return new SetStmt(offset, target, value);
        }

        var filters = Current.IsOperator("|") ? ParseFilterChain(leadingPipe: true) : [];
        Expect(TokenKind.BlockEnd);
        return new SetBlockStmt(offset, target, filters, ParseBlockBody("endset", "set", offset));
    }

    private MacroStmt ParseMacro(int offset)
    {
        string name = ExpectKind(TokenKind.Name).Value;
        var parameters = ParseParameters();
        Expect(TokenKind.BlockEnd);
        return new MacroStmt(offset, name, parameters, ParseBlockBody("endmacro", "macro", offset));
    }

    private CallBlockStmt ParseCallBlock(int offset)
    {
        IReadOnlyList<Parameter> callerParameters = Current.IsOperator("(") ? ParseParameters() : [];
        Expr call = ParseExpression();
        if (call is not CallExpr callExpr)
        {
            throw Error(call.Offset, "Expected a macro call after '{% call %}'.");
        }

        Expect(TokenKind.BlockEnd);
        return new CallBlockStmt(offset, callExpr, callerParameters, ParseBlockBody("endcall", "call", offset));
    }

    private List<Parameter> ParseParameters()
    {
        ExpectOperator("(");
        var parameters = new List<Parameter>();
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
            {
                ExpectOperator(",");
                if (Current.IsOperator(")"))
                {
                    break;
                }
            }

            Token name = ExpectKind(TokenKind.Name);
            Expr? defaultValue = null;
            if (Current.IsOperator("="))
            {
                _index++;
                defaultValue = ParseExpression();
            }
            else if (parameters.Count > 0 && parameters[^1].Default is not null)
            {
                throw Error(name.Offset, $"Parameter '{name.Value}' without a default follows one with a default.");
            }

            parameters.Add(new Parameter(name.Value, defaultValue));
        }

        _index++;
        return parameters;
    }

    private List<FilterCall> ParseFilterChain(bool leadingPipe = false)
    {
        var filters = new List<FilterCall>();
        do
        {
            if (leadingPipe || filters.Count > 0)
            {
                ExpectOperator("|");
            }

            Token name = ExpectKind(TokenKind.Name);
            filters.Add(new FilterCall(name.Offset, name.Value, Current.IsOperator("(") ? ParseArguments() : Arguments.None));
        }
        while (Current.IsOperator("|"));
        return filters;
    }

    private Target ParseTarget(bool allowAttribute)
    {
        int offset = Current.Offset;
        var items = new List<Target>();
        do
        {
            if (items.Count > 0)
            {
                _index++;
            }

            items.Add(ParseSingleTarget(allowAttribute && items.Count == 0));
        }
        while (Current.IsOperator(","));
        return items.Count == 1 ? items[0] : new TupleTarget(offset, items);
    }

    private Target ParseSingleTarget(bool allowAttribute)
    {
        Token token = Current;
        if (token.IsOperator("("))
        {
            _index++;
            Target inner = ParseTarget(allowAttribute: false);
            ExpectOperator(")");
            return inner;
        }

        string name = ExpectKind(TokenKind.Name).Value;
        if (allowAttribute && Current.IsOperator("."))
        {
            _index++;
            return new AttributeTarget(token.Offset, name, ExpectKind(TokenKind.Name).Value);
        }

        return new NameTarget(token.Offset, name);
    }

    private Token Expect(TokenKind kind)
    {
        Token token = Current;
        if (token.Kind != kind)
        {
            string expected = kind switch
            {
                TokenKind.BlockEnd => "'%}'",
                TokenKind.VariableEnd => "'}}'",
                _ => kind.ToString().ToLowerInvariant(),
            };
            throw Error(token.Offset, $"Expected {expected}, got {token}.");
        }

        _index++;
        return token;
    }

    private Token ExpectKind(TokenKind kind)
    {
        Token token = Current;
        if (token.Kind != kind)
        {
            throw Error(token.Offset, $"Expected a {kind.ToString().ToLowerInvariant()}, got {token}.");
        }

        _index++;
        return token;
    }

    private void ExpectOperator(string op)
    {
        if (!Current.IsOperator(op))
        {
            throw Error(Current.Offset, $"Expected '{op}', got {Current}.");
        }

        _index++;
    }

    private void ExpectName(string name)
    {
        if (!Current.IsName(name))
        {
            throw Error(Current.Offset, $"Expected '{name}', got {Current}.");
        }

        _index++;
    }

    private LoraException Error(int offset, string message) =>
        new(JinjaErrorCodes.TemplateSyntax, message, _source.Location(offset));

    private LoraException Unsupported(int offset, string message) =>
        new(JinjaErrorCodes.TemplateUnsupported, message, _source.Location(offset));

    private long ParseInteger(Token token) =>
        long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw Unsupported(token.Offset, $"Integer literal {token.Value} is too large.");
}
