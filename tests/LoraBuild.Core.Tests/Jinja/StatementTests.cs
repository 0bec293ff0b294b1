namespace LoraBuild.Core.Tests.Jinja;

public class StatementTests
{
    [Theory]
    [InlineData("{% for x in 'ab' %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}", "10TrueFalse2;21FalseTrue2;")]
    [InlineData("{% for x in [1, 2, 3] %}{{ loop.revindex }}{{ loop.revindex0 }} {% endfor %}", "32 21 10 ")]
    [InlineData("{% for x in [1, 2, 3] %}{{ loop.previtem is defined }}{{ loop.nextitem | default(0) }} {% endfor %}", "False2 True3 True0 ")]
    [InlineData("{% for x in range(5) %}{{ loop.cycle('a', 'b', 'c') }}{% endfor %}", "abcab")]
    [InlineData("{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}{{ v }}{% endfor %}", "a1b2")]
    [InlineData("{% for x in [3, 4, 5] if x != 4 %}{{ loop.index }}/{{ loop.length }}:{{ x }} {% endfor %}", "1/2:3 2/2:5 ")]
    [InlineData("{% for x in [] %}a{% else %}b{% endfor %}", "b")]
    [InlineData("{% for x in [1, 2] %}{% for y in [3] %}{{ loop.depth }}{{ loop.index }}{% endfor %}{{ loop.index }}{% endfor %}", "111112")]
    [InlineData("{% for x in range(6) %}{% if x is odd %}{% continue %}{% endif %}{% if x > 3 %}{% break %}{% endif %}{{ x }}{% endfor %}", "02")]
    [InlineData("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}", "1")]
    [InlineData("{% set ns = namespace(x=1) %}{% for i in [1, 2] %}{% set ns.x = ns.x + i %}{% endfor %}{{ ns.x }}", "4")]
    [InlineData("{% set ns = namespace({'a': 1}, b=2) %}{{ ns.a }}{{ ns.b }}", "12")]
    [InlineData("{% set a, b = [1, 2] %}{{ b }}{{ a }}", "21")]
    [InlineData("{% set s %}x{{ 1 }}{% endset %}{{ s }}{{ s | length }}", "x12")]
    [InlineData("{% if false %}a{% elif 0 %}b{% elif 'x' %}c{% else %}d{% endif %}", "c")]
    [InlineData("{% macro m(a, b=2) %}{{ a }}{{ b }}{{ varargs | length }}{% endmacro %}{{ m(1) }}{{ m(1, 3, 4) }}{{ m(b=5, a=6) }}", "120131650")]
    [InlineData("{% macro box() %}[{{ caller() }}]{% endmacro %}{% call box() %}in{% endcall %}", "[in]")]
    [InlineData("{% macro li(x) %}<{{ caller(x) }}>{% endmacro %}{% call(v) li(3) %}{{ v * 2 }}{% endcall %}", "<6>")]
    [InlineData("{% filter trim | upper %}  ab  {% endfilter %}", "AB")]
    [InlineData("{% generation %}kept{% endgeneration %}", "kept")]
    [InlineData("{{ 1, 2 }}", "(1, 2)")]
    public void RendersStatements(string template, string expected) => Assert.Equal(expected, Jinja.Render(template));

    [Fact]
    public void SetOnANonNamespaceFails() => Assert.Contains("namespace", Jinja.Fails("{% set x = 1 %}{% set x.a = 2 %}").Message, StringComparison.Ordinal);

    [Fact]
    public void UnpackingTheWrongCountFails() => Assert.Contains("unpack", Jinja.Fails("{% for a, b in [[1, 2, 3]] %}{% endfor %}").Message, StringComparison.Ordinal);

    [Fact]
    public void RunawayRecursionIsStopped() =>
        Assert.Contains("recursed", Jinja.Fails("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}").Message, StringComparison.Ordinal);
}
