namespace LoraBuild.Engine.Tokenizers;

/// <summary>A piece of the input: either plain text to run through the model, or one added token.</summary>
/// <param name="Start">Where the piece starts in the input.</param>
/// <param name="Text">The plain text, or <see langword="null"/> for an added token.</param>
/// <param name="TokenId">The added token's id, or <see langword="null"/> for plain text.</param>
internal readonly record struct TextSegment(int Start, string? Text, int? TokenId);

/// <summary>
/// Cuts the input text around added tokens, taking the leftmost match and, among matches there, the longest, so
/// that a special token such as <c>&lt;|im_start|&gt;</c> is always one id and never reaches BPE.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Dictionary<char, AddedToken[]> _tokensByFirstChar;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _tokensByFirstChar = tokens
            .Where(token => token.Content.Length > 0)
            .GroupBy(token => token.Content[0])
            .ToDictionary(
                group => group.Key,
                group => group.OrderByDescending(token => token.Content.Length).ToArray());
    }

    public List<TextSegment> Split(string text)
    {
        var segments = new List<TextSegment>();
        int textStart = 0;
        int position = 0;
        while (position < text.Length)
        {
            AddedToken? match = FindAt(text, position);
            if (match is null)
            {
                position++;
                continue;
            }

            int matchStart = position;
            int matchEnd = position + match.Content.Length;
            if (match.LeftStrip)
            {
                while (matchStart > textStart && char.IsWhiteSpace(text[matchStart - 1]))
                {
                    matchStart--;
                }
            }

            if (match.RightStrip)
            {
                while (matchEnd < text.Length && char.IsWhiteSpace(text[matchEnd]))
                {
                    matchEnd++;
                }
            }

            if (matchStart > textStart)
            {
                segments.Add(new TextSegment(textStart, text[textStart..matchStart], null));
            }

            segments.Add(new TextSegment(matchStart, null, match.Id));
            textStart = position = matchEnd;
        }

        if (textStart < text.Length)
        {
            segments.Add(new TextSegment(textStart, text[textStart..], null));
        }

        return segments;
    }

    private AddedToken? FindAt(string text, int position)
    {
        if (!_tokensByFirstChar.TryGetValue(text[position], out var candidates))
        {
            return null;
        }

        ReadOnlySpan<char> rest = text.AsSpan(position);
        foreach (var candidate in candidates)
        {
            if (rest.StartsWith(candidate.Content, StringComparison.Ordinal)
                && (!candidate.SingleWord || StandsAlone(text, position, position + candidate.Content.Length)))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool StandsAlone(string text, int start, int end) =>
        (start == 0 || !IsWordChar(text[start - 1])) && (end == text.Length || !IsWordChar(text[end]));

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
