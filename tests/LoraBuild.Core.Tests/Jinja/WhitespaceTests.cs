namespace LoraBuild.Core.Tests.Jinja;

/// <summary>trim_blocks and lstrip_blocks (transformers' settings) and the explicit '-' / '+' modifiers.</summary>
public class WhitespaceTests
{
    [Theory]
    [InlineData("{% if true %}\nx{% endif %}", "x")]
    [InlineData("{% if true %}\n\nx{% endif %}", "\nx")]
    [InlineData("{{ 'a' }}\nb", "a\nb")]
    [InlineData("a\n  {% if true %}b{% endif %}", "a\nb")]
    [InlineData("a  {% if true %}b{% endif %}", "a  b")]
    [InlineData("  {% if true %}b{% endif %}", "b")]
    [InlineData("a\n  {{ 'b' }}", "a\n  b")]
    [InlineData("a \n {{- 'b' }}", "ab")]
    [InlineData("{{ 'a' -}} \n b", "ab")]
    [InlineData("a\n  {%- if true -%}\n  b  {%- endif %}", "ab")]
    [InlineData("a\n  {%+ if true %}b{% endif %}", "a\n  b")]
    [InlineData("{% if true +%}\nb{% endif %}", "\nb")]
    [InlineData("a\n  {# c #}\nb", "a\nb")]
    [InlineData("a {#- c -#} b", "ab")]
    [InlineData("x\n", "x")]
    [InlineData("x\n\n", "x\n")]
    [InlineData("a\r\nb", "a\nb")]
    [InlineData("{% raw %}{{ x }}{% endraw %}", "{{ x }}")]
    [InlineData("{%- raw -%}  {{ x }}  {%- endraw -%}", "{{ x }}")]
    public void ControlsWhitespaceAsJinjaDoes(string template, string expected) =>
        Assert.Equal(expected, Jinja.Render(template));

    [Fact]
    public void LstripAppliesAfterATrimmedBlockNewline()
    {
        const string template = "{% for x in [1, 2] %}\n    {% if x %}\n{{ x }}\n    {% endif %}\n{% endfor %}";
        Assert.Equal("1\n2\n", Jinja.Render(template));
    }
}
