using LoraBuild.Core.Jinja;

namespace LoraBuild.Core.Tests.Jinja;

/// <summary>Jinja's default Undefined: falsy, empty when printed, an error when looked into.</summary>
public class UndefinedTests
{
    private static readonly long[] _oneItem = [1];

    [Theory]
    [InlineData("[{{ missing }}]", "[]")]
    [InlineData("{{ missing is defined }}", "False")]
    [InlineData("{{ missing is undefined }}", "True")]
    [InlineData("{% if missing %}t{% else %}f{% endif %}", "f")]
    [InlineData("{{ missing | default('d') }}", "d")]
    [InlineData("{{ missing | length }}", "0")]
    [InlineData("{% for x in missing %}x{% else %}empty{% endfor %}", "empty")]
    [InlineData("[{{ missing ~ 'a' }}]", "[a]")]
    [InlineData("{{ missing == none }}", "False")]
    [InlineData("{{ 'a' in missing }}", "False")]
    [InlineData("[{{ m.absent }}]", "[]")]
    [InlineData("{{ m.absent is defined }}", "False")]
    [InlineData("[{{ m['absent'] }}]", "[]")]
    [InlineData("[{{ xs[9] }}]", "[]")]
    [InlineData("{{ 'yes' if missing is not defined }}", "yes")]
    public void BehavesLikeJinjaDefaultUndefined(string template, string expected) =>
        Assert.Equal(expected, Jinja.Render(template, ("m", new Dictionary<string, object?> { ["a"] = 1 }), ("xs", _oneItem)));

    [Theory]
    [InlineData("{{ missing.attr }}", "'missing' is undefined.")]
    [InlineData("{{ missing['k'] }}", "'missing' is undefined.")]
    [InlineData("{{ missing + 1 }}", "'missing' is undefined.")]
    [InlineData("{{ missing() }}", "'missing' is undefined.")]
    [InlineData("{{ missing | tojson }}", "'missing' is undefined.")]
    [InlineData("{{ m.absent.deeper }}", "'dict object' has no attribute 'absent'.")]
    public void UsingItAsAValueFails(string template, string message)
    {
        var error = Jinja.Fails(template, ("m", new Dictionary<string, object?>()));
        Assert.Equal(JinjaErrorCodes.TemplateUndefined, error.Code);
        Assert.Equal(message, error.Message);
    }
}
