namespace LoraBuild.Core.Jinja;

/// <summary>A template's text and name, and how an offset in it reads as <c>name:line:column</c>.</summary>
internal sealed class TemplateSource
{
    public TemplateSource(string name, string text)
    {
        Name = name;
        // Jinja normalizes every newline sequence of the template to "\n" (its newline_sequence).
        Text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
    }

    public string Name { get; }

    public string Text { get; }

    public string Location(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return $"{Name}:{line}:{offset - lineStart + 1}";
    }
}
