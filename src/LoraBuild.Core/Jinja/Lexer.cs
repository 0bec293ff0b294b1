using System.Globalization;
using System.Text;
using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Core.Jinja;

/// <summary>
/// Splits a template into tokens the way Jinja does with <c>trim_blocks</c> and <c>lstrip_blocks</c> on (the settings
/// transformers compiles chat templates with): <c>-</c> strips all whitespace on its side of a tag, <c>+</c> keeps it,
/// a block or comment tag drops the newline after it and the spaces before it on its own line.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] _operators =
    [
        "//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";",
    ];

    private readonly TemplateSource _source;
    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private readonly Stack<char> _brackets = new();
    private int _pos;
    private bool _lineStarting = true;

    private Lexer(TemplateSource source)
    {
        _source = source;
        _text = source.Text.EndsWith('\n') ? source.Text[..^1] : source.Text;
    }

    public static List<Token> Tokenize(TemplateSource source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        while (_pos < _text.Length)
        {
            int tag = FindTagStart(_pos);
            if (tag < 0)
            {
                AddText(_text[_pos..], _pos);
                break;
            }

            char kind = _text[tag + 1];
            int afterOpen = tag + 2;
            char modifier = afterOpen < _text.Length ? _text[afterOpen] : '\0';
            string text = ApplyLeftWhitespaceControl(_text[_pos..tag], kind, modifier);
            AddText(text, _pos);
            int bodyStart = modifier is '-' or '+' ? afterOpen + 1 : afterOpen;
            if (kind == '#')
            {
                LexComment(tag, bodyStart);
            }
            else if (kind == '%' && TryLexRaw(tag, bodyStart))
            {
                continue;
            }
            else
            {
                LexTag(kind == '{' ? TokenKind.VariableBegin : TokenKind.BlockBegin, tag, bodyStart);
            }
        }

        _tokens.Add(new Token(TokenKind.End, "", _text.Length));
    }

    private int FindTagStart(int from)
    {
        for (int i = _text.IndexOf('{', from); i >= 0 && i + 1 < _text.Length; i = _text.IndexOf('{', i + 1))
        {
            if (_text[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }

        return -1;
    }

    private string ApplyLeftWhitespaceControl(string text, char kind, char modifier)
    {
        if (modifier == '-')
        {
            return PyString.Strip(text, null, left: false, right: true);
        }

        if (modifier == '+' || kind == '{')
        {
            return text;
        }

        // lstrip_blocks: drop the whitespace between the start of the line and a block or comment tag.
        int lineStart = text.LastIndexOf('\n') + 1;
        if ((lineStart > 0 || _lineStarting) && lineStart < text.Length && IsAllWhitespace(text, lineStart))
        {
            return text[..lineStart];
        }

        return text;
    }

    private static bool IsAllWhitespace(string text, int from)
    {
        for (int i = from; i < text.Length; i++)
        {
            if (!PyString.IsSpace(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private void AddText(string text, int offset)
    {
        if (text.Length > 0)
        {
            _tokens.Add(new Token(TokenKind.Text, text, offset));
        }
    }

    private void LexComment(int tag, int bodyStart)
    {
        int close = _text.IndexOf("#}", bodyStart, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Error(tag, "Missing end of comment tag '#}'.");
        }

        char before = close > bodyStart ? _text[close - 1] : '\0';
        _pos = close + 2;
        FinishTag(before);
    }

    // After a block or comment: '-' strips all following whitespace, '+' keeps it, otherwise trim_blocks drops one newline.
    private void FinishTag(char modifier)
    {
        int start = _pos;
        if (modifier == '-')
        {
            while (_pos < _text.Length && PyString.IsSpace(_text[_pos]))
            {
                _pos++;
            }
        }
        else if (modifier != '+' && _pos < _text.Length && _text[_pos] == '\n')
        {
            _pos++;
        }

        _lineStarting = _pos > start && _text[_pos - 1] == '\n';
    }

    private bool TryLexRaw(int tag, int bodyStart)
    {
        int p = SkipWhitespace(bodyStart);
        if (!IsWordAt(p, "raw"))
        {
            return false;
        }

        p = SkipWhitespace(p + 3);
        bool stripAfter = p < _text.Length && _text[p] == '-';
        if (stripAfter)
        {
            p++;
        }

        if (!_text.AsSpan(p).StartsWith("%}", StringComparison.Ordinal))
        {
            return false;
        }

        int contentStart = p + 2;
        if (stripAfter)
        {
            contentStart = SkipWhitespace(contentStart);
        }

        for (int search = contentStart; ;)
        {
            int end = _text.IndexOf("{%", search, StringComparison.Ordinal);
            if (end < 0)
            {
                throw Error(tag, "Missing end of raw directive '{% endraw %}'.");
            }

            int q = end + 2;
            char modifier = q < _text.Length && _text[q] is '-' or '+' ? _text[q++] : '\0';
            q = SkipWhitespace(q);
            if (!IsWordAt(q, "endraw"))
            {
                search = end + 2;
                continue;
            }

            q = SkipWhitespace(q + 6);
            char closeModifier = q < _text.Length && _text[q] is '-' or '+' ? _text[q++] : '\0';
            if (!_text.AsSpan(q).StartsWith("%}", StringComparison.Ordinal))
            {
                throw Error(q, "Expected '%}' after 'endraw'.");
            }

            AddText(ApplyLeftWhitespaceControl(_text[contentStart..end], '%', modifier), contentStart);
            _pos = q + 2;
            FinishTag(closeModifier);
            return true;
        }
    }

    private bool IsWordAt(int p, string word) =>
        _text.AsSpan(p).StartsWith(word, StringComparison.Ordinal)
        && (p + word.Length >= _text.Length || !IsNameChar(_text[p + word.Length]));

    private int SkipWhitespace(int p)
    {
        while (p < _text.Length && PyString.IsSpace(_text[p]))
        {
            p++;
        }

        return p;
    }

    private void LexTag(TokenKind begin, int tag, int bodyStart)
    {
        _tokens.Add(new Token(begin, begin == TokenKind.VariableBegin ? "{{" : "{%", tag));
        _brackets.Clear();
        _pos = bodyStart;
        while (true)
        {
            _pos = SkipWhitespace(_pos);
            if (_pos >= _text.Length)
            {
                throw Error(tag, begin == TokenKind.VariableBegin
                    ? "Unexpected end of template: '{{' is never closed by '}}'."
                    : "Unexpected end of template: '{%' is never closed by '%}'.");
            }

            if (_brackets.Count == 0 && TryLexTagEnd(begin))
            {
                return;
            }

            LexExpressionToken();
        }
    }

    private bool TryLexTagEnd(TokenKind begin)
    {
        var rest = _text.AsSpan(_pos);
        if (begin == TokenKind.VariableBegin)
        {
            bool strip = rest.StartsWith("-}}", StringComparison.Ordinal);
            if (!strip && !rest.StartsWith("}}", StringComparison.Ordinal))
            {
                return false;
            }

            _tokens.Add(new Token(TokenKind.VariableEnd, "}}", _pos));
            _pos += strip ? 3 : 2;
            int start = _pos;
            if (strip)
            {
                _pos = SkipWhitespace(_pos);
            }

            _lineStarting = _pos > start && _text[_pos - 1] == '\n';
            return true;
        }

        char modifier = rest.Length > 0 && rest[0] is '-' or '+' ? rest[0] : '\0';
        if (!rest[(modifier == '\0' ? 0 : 1)..].StartsWith("%}", StringComparison.Ordinal))
        {
            return false;
        }

        _tokens.Add(new Token(TokenKind.BlockEnd, "%}", _pos));
        _pos += modifier == '\0' ? 2 : 3;
        FinishTag(modifier);
        return true;
    }

    private void LexExpressionToken()
    {
        int start = _pos;
        char c = _text[_pos];
        if (c is '\'' or '"')
        {
            _tokens.Add(new Token(TokenKind.String, ReadString(c), start));
        }
        else if (char.IsAsciiDigit(c))
        {
            LexNumber(start);
        }
        else if (char.IsLetter(c) || c == '_')
        {
            while (_pos < _text.Length && IsNameChar(_text[_pos]))
            {
                _pos++;
            }

            _tokens.Add(new Token(TokenKind.Name, _text[start.._pos], start));
        }
        else
        {
            LexOperator(start);
        }
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private void LexOperator(int start)
    {
        foreach (string op in _operators)
        {
            if (!_text.AsSpan(_pos).StartsWith(op, StringComparison.Ordinal))
            {
                continue;
            }

            TrackBracket(op[0], start);
            _pos += op.Length;
            _tokens.Add(new Token(TokenKind.Operator, op, start));
            return;
        }

        throw Error(start, $"Unexpected character '{_text[start]}'.");
    }

    private void TrackBracket(char c, int offset)
    {
        switch (c)
        {
            case '(' or '[' or '{':
                _brackets.Push(c);
                break;
            case ')' or ']' or '}':
                char open = c switch { ')' => '(', ']' => '[', _ => '{' };
                if (_brackets.Count == 0 || _brackets.Pop() != open)
                {
                    throw Error(offset, $"Unexpected '{c}'.");
                }

                break;
        }
    }

    private void LexNumber(int start)
    {
        bool isFloat = false;
        SkipDigits();
        bool afterDot = _tokens.Count > 0 && _tokens[^1].IsOperator(".") && _tokens[^1].Offset == start - 1;
        if (!afterDot && _pos + 1 < _text.Length && _text[_pos] == '.' && char.IsAsciiDigit(_text[_pos + 1]))
        {
            isFloat = true;
            _pos++;
            SkipDigits();
        }

        if (!afterDot && _pos < _text.Length && _text[_pos] is 'e' or 'E')
        {
            int p = _pos + 1;
            if (p < _text.Length && _text[p] is '+' or '-')
            {
                p++;
            }

            if (p < _text.Length && char.IsAsciiDigit(_text[p]))
            {
                isFloat = true;
                _pos = p;
                SkipDigits();
            }
        }

        string digits = _text[start.._pos].Replace("_", "", StringComparison.Ordinal);
        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, digits, start));
    }

    private void SkipDigits()
    {
        while (_pos < _text.Length && (char.IsAsciiDigit(_text[_pos])
            || (_text[_pos] == '_' && _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]))))
        {
            _pos++;
        }
    }

    // Python string literal rules (Jinja decodes them with "unicode-escape"): unknown escapes keep their backslash.
    private string ReadString(char quote)
    {
        int start = _pos++;
        var builder = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw Error(start, "Unterminated string literal.");
            }

            char c = _text[_pos++];
            if (c == quote)
            {
                return builder.ToString();
            }

            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (_pos >= _text.Length)
            {
                throw Error(start, "Unterminated string literal.");
            }

            char e = _text[_pos++];
            switch (e)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'v': builder.Append('\v'); break;
                case 'a': builder.Append('\a'); break;
                case '0' or '1' or '2' or '3' or '4' or '5' or '6' or '7': builder.Append(ReadOctal(e)); break;
                case '\\' or '\'' or '"': builder.Append(e); break;
                case '\n': break;
                case 'x': AppendHex(builder, 2, start); break;
                case 'u': AppendHex(builder, 4, start); break;
                case 'U': AppendHex(builder, 8, start); break;
                default: builder.Append('\\').Append(e); break;
            }
        }
    }

    private char ReadOctal(char first)
    {
        int value = first - '0';
        for (int i = 0; i < 2 && _pos < _text.Length && _text[_pos] is >= '0' and <= '7'; i++)
        {
            value = (value * 8) + (_text[_pos++] - '0');
        }

        return (char)value;
    }

    private void AppendHex(StringBuilder builder, int length, int stringStart)
    {
        if (_pos + length > _text.Length
            || !int.TryParse(_text.AsSpan(_pos, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
            || code > 0x10FFFF)
        {
            throw Error(stringStart, $"Invalid \\{(length == 2 ? 'x' : length == 4 ? 'u' : 'U')} escape in string literal.");
        }

        _pos += length;
        builder.Append(code is >= 0xD800 and <= 0xDFFF ? ((char)code).ToString() : char.ConvertFromUtf32(code));
    }

    private LoraException Error(int offset, string message) =>
        new(JinjaErrorCodes.TemplateSyntax, message, _source.Location(offset));
}
