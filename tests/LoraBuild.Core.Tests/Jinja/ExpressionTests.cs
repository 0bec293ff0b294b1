namespace LoraBuild.Core.Tests.Jinja;

public class ExpressionTests
{
    [Theory]
    [InlineData("{{ 7 / 2 }} {{ 8 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7.5 // 2 }} {{ 2 ** 8 }} {{ 2 ** -1 }}", "3.5 4.0 3 -4 2 3.0 256 0.5")]
    [InlineData("{{ 1 + 2 * 3 - 4 }} {{ (1 + 2) * 3 }} {{ -2 + 5 }} {{ 10 - -1 }}", "3 9 3 11")]
    [InlineData("{{ 0.1 + 0.2 }} {{ 1e22 }} {{ 1.5e-5 }} {{ 123456789.0 }} {{ -0.0 }}", "0.30000000000000004 1e+22 1.5e-05 123456789.0 -0.0")]
    [InlineData("{{ 'a' ~ 1 ~ none ~ true }}", "a1NoneTrue")]
    [InlineData("{{ 'ab' * 2 }} {{ [1] * 2 }} {{ [1] + [2] }} {{ 'a' + 'b' }}", "abab [1, 1] [1, 2] ab")]
    [InlineData("{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 1 == 1.0 }} {{ true == 1 }} {{ [1, 2] == [1, 2] }} {{ {'a': 1} == {'a': 1} }}", "True False True True True True")]
    [InlineData("{{ 'ab' < 'b' }} {{ [1, 2] < [1, 3] }} {{ 2 >= 2.0 }}", "True True True")]
    [InlineData("{{ 'b' in 'abc' }} {{ 3 in [1, 2] }} {{ 'k' in {'k': 0} }} {{ 'x' not in 'abc' }}", "True False True True")]
    [InlineData("{{ 0 or [] or 'last' }} {{ 1 and 'x' }} {{ none and 1 }} {{ not none }}", "last x None True")]
    [InlineData("{{ 'a' if 0 else 'b' if 1 else 'c' }}", "b")]
    [InlineData("{{ [1, 2, 3][-1] }} {{ [1, 2, 3][1:] }} {{ [1, 2, 3][::-1] }} {{ 'hello'[-3:] }} {{ (1, 2, 3)[:2] }} {{ [1, 2, 3][5:] }}", "3 [2, 3] [3, 2, 1] llo (1, 2) []")]
    [InlineData("{{ '👍a'[0] }} {{ '👍a'[1:] }} {{ 'a👍b' | list | length }}", "👍 a 3")]
    [InlineData("{{ {'a': 1}.a }} {{ {'a': 1}['a'] }} {{ [1, 2].0 }}", "1 1 1")]
    [InlineData("{{ \"it's\" }} {{ ['it\\'s', 'a\\\\b', '\\n'] }}", "it's [\"it's\", 'a\\\\b', '\\n']")]
    [InlineData("{{ '\\x41\\u00e9\\U0001F44D' }}", "Aé👍")]
    [InlineData("{{ 1_000 }} {{ 1.5e3 }}", "1000 1500.0")]
    [InlineData("{{ none }} {{ None }} {{ True }} {{ false }}", "None None True False")]
    [InlineData("{{ dict(a=1) }} {{ dict([('b', 2)]) }} {{ range(2, 8, 3) | list }}", "{'a': 1} {'b': 2} [2, 5]")]
    public void EvaluatesAsPython(string template, string expected) => Assert.Equal(expected, Jinja.Render(template));

    [Theory]
    [InlineData("{{ '  a  '.strip() }}|{{ '\n\n a \n'.strip('\n') }}|{{ 'xxa'.lstrip('x') }}|{{ 'axx'.rstrip('x') }}", "a| a |a|a")]
    [InlineData("{{ 'a b  c'.split() }} {{ 'a,b,,c'.split(',') }} {{ 'a,b,c'.split(',', 1) }} {{ 'a,b,c'.rsplit(',', 1) }}", "['a', 'b', 'c'] ['a', 'b', '', 'c'] ['a', 'b,c'] ['a,b', 'c']")]
    [InlineData("{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith(('x', 'c')) }}", "True True")]
    [InlineData("{{ 'hello wORLD'.title() }} {{ 'hELLO'.capitalize() }} {{ 'a'.upper() }} {{ 'B'.lower() }}", "Hello World Hello A b")]
    [InlineData("{{ 'a-b-c'.replace('-', '', 1) }} {{ 'abcb'.find('b') }} {{ 'abcb'.rfind('b') }} {{ 'abcb'.count('b') }}", "ab-c 1 3 2")]
    [InlineData("{{ '-'.join(['a', 'b']) }} {{ '{}={x}'.format(1, x=2) }} {{ '{{}}'.format() }}", "a-b 1=2 {}")]
    [InlineData("{{ 'prefix_x'.removeprefix('prefix_') }} {{ 'a\nb\r\nc'.splitlines() }}", "x ['a', 'b', 'c']")]
    [InlineData("{{ '12'.isdigit() }} {{ 'ab'.isalpha() }} {{ ' '.isspace() }} {{ 'ab'.islower() }} {{ 'AB'.isupper() }}", "True True True True True")]
    [InlineData("{{ {'a': 1}.get('a') }} {{ {'a': 1}.get('b', 2) }} {{ {'a': 1}.keys() | list }} {{ {'a': 1}.values() | list }}", "1 2 ['a'] [1]")]
    [InlineData("{{ [1, 2, 2].index(2) }} {{ [1, 2, 2].count(2) }}", "1 2")]
    public void CallsPythonMethods(string template, string expected) => Assert.Equal(expected, Jinja.Render(template));

    [Theory]
    [InlineData("{{ 'a' is string }} {{ 1 is string }} {{ 1 is number }} {{ true is number }} {{ 1.0 is integer }} {{ 1 is integer }} {{ 1.0 is float }}", "True False True True False True True")]
    [InlineData("{{ none is none }} {{ true is boolean }} {{ true is true }} {{ 1 is true }} {{ false is false }}", "True True True False True")]
    [InlineData("{{ {} is mapping }} {{ [] is mapping }} {{ [] is iterable }} {{ 'a' is sequence }} {{ 1 is iterable }}", "True False True True False")]
    [InlineData("{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }}", "True True True False")]
    [InlineData("{{ 1 is equalto 1 }} {{ 1 is eq 2 }} {{ 1 is ne 2 }} {{ 1 is lt 2 }} {{ 2 is ge 2 }} {{ 3 is gt 2 }} {{ 2 is le 1 }}", "True False True True True True False")]
    [InlineData("{{ 'a' is in 'abc' }} {{ 2 is in [1] }} {{ 'ab' is lower }} {{ 'AB' is upper }}", "True False True True")]
    [InlineData("{{ none is sameas none }} {{ raise_exception is callable }} {{ x is not defined }}", "True True True")]
    public void TestsBehaveAsJinja(string template, string expected) => Assert.Equal(expected, Jinja.Render(template));

    [Theory]
    [InlineData("{{ 1 / 0 }}")]
    [InlineData("{{ 1 // 0 }}")]
    [InlineData("{{ 'a' - 1 }}")]
    [InlineData("{{ 1 < 'a' }}")]
    [InlineData("{% for x in none %}{% endfor %}")]
    [InlineData("{{ 5 in 'abc' }}")]
    [InlineData("{{ (1)() }}")]
    [InlineData("{{ 'a'.split('') }}")]
    [InlineData("{{ range(1000000) | length }}")]
    [InlineData("{{ 9223372036854775807 + 1 }}")]
    public void TypeErrorsAreReported(string template) =>
        Assert.Equal(LoraBuild.Core.Jinja.JinjaErrorCodes.TemplateTypeError, Jinja.Fails(template).Code);
}
