using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Jinja;

namespace LoraBuild.Core.Tests.Jinja;

public class SyntaxErrorTests
{
    [Theory]
    [InlineData("{{ 'a' ", "chat_template:1:1")]
    [InlineData("line one\n{% if x %}\nno end", "chat_template:2:4")]
    [InlineData("{% for x in y %}", "chat_template:1:4")]
    [InlineData("ab\n  {% endif %}", "chat_template:2:6")]
    [InlineData("{{ 'unterminated }}", "chat_template:1:4")]
    [InlineData("{# never closed", "chat_template:1:1")]
    [InlineData("{% frobnicate %}", "chat_template:1:4")]
    [InlineData("{{ a b }}", "chat_template:1:6")]
    [InlineData("{{ (1 }}", "chat_template:1:7")]
    [InlineData("{{ 1 ) }}", "chat_template:1:6")]
    [InlineData("{{ x | }}", "chat_template:1:8")]
    [InlineData("{% set %}", "chat_template:1:8")]
    [InlineData("{{ 'a' $ }}", "chat_template:1:8")]
    [InlineData("x\n\n   {% if a %}{% else %}{% elif b %}{% endif %}", "chat_template:3:27")]
    [InlineData("{% for x in y recursive %}{% endfor %}", "chat_template:1:15")]
    public void BadSyntaxReportsCodeAndLineColumn(string template, string location)
    {
        var error = Assert.Throws<LoraException>(() => JinjaTemplate.Parse(template));
        Assert.Equal(location, error.Location);
        Assert.StartsWith("LORA118", error.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxErrorsUseTheSyntaxCode()
    {
        var error = Assert.Throws<LoraException>(() => JinjaTemplate.Parse("{% if %}"));
        Assert.Equal(JinjaErrorCodes.TemplateSyntax, error.Code);
        Assert.Equal("LORA1180", error.Code);
    }

    [Fact]
    public void LocationUsesTheTemplateName()
    {
        var error = Assert.Throws<LoraException>(() => JinjaTemplate.Parse("\n\n  {{ }}", "models/x/tokenizer_config.json (chat_template)"));
        Assert.Equal("models/x/tokenizer_config.json (chat_template):3:6", error.Location);
        Assert.Contains("error LORA1180", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void BreakOutsideLoopIsAnError()
    {
        var error = Jinja.Fails("{% break %}");
        Assert.Equal(JinjaErrorCodes.TemplateSyntax, error.Code);
    }

    [Fact]
    public void UnknownFilterAndTestAreUnsupported()
    {
        Assert.Equal(JinjaErrorCodes.TemplateUnsupported, Jinja.Fails("{{ 1 | frob }}").Code);
        Assert.Equal(JinjaErrorCodes.TemplateUnsupported, Jinja.Fails("{{ 1 is frob }}").Code);
    }

    [Fact]
    public void RuntimeErrorsAreLocatedAtTheExpression()
    {
        var error = Jinja.Fails("ok\n{{ 'a' + 1 }}");
        Assert.Equal(JinjaErrorCodes.TemplateTypeError, error.Code);
        Assert.Equal("chat_template:2:8", error.Location);
    }
}
