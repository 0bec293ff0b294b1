namespace LoraBuild.Core.Tests.Jinja;

public class FilterTests
{
    [Theory]
    [InlineData("{{ '  a b \n' | trim }}", "a b")]
    [InlineData("{{ '--a--' | trim('-') }}", "a")]
    [InlineData("{{ 'aB' | upper }}", "AB")]
    [InlineData("{{ 'aB' | lower }}", "ab")]
    [InlineData("{{ 'hELLO there' | capitalize }}", "Hello there")]
    [InlineData("{{ 'hello big-world (x)' | title }}", "Hello Big-World (X)")]
    [InlineData("{{ 'abc' | length }}{{ [1] | count }}{{ {'a': 1} | length }}", "311")]
    [InlineData("{{ '日本👍' | length }}", "3")]
    [InlineData("{{ [1, 'a'] | join('-') }}", "1-a")]
    [InlineData("{{ [1, 2] | join }}", "12")]
    [InlineData("{{ [{'n': 'x'}, {'n': 'y'}] | join(',', attribute='n') }}", "x,y")]
    [InlineData("{{ missing | default('d') }}{{ '' | default('e') }}{{ '' | d('f', true) }}", "df")]
    [InlineData("{{ [4, 5] | first }}{{ [4, 5] | last }}{{ [] | first is defined }}", "45False")]
    [InlineData("{{ 'ab' | list }}{{ (1, 2) | list }}", "['a', 'b'][1, 2]")]
    [InlineData("{{ {'a': 1} | items | list }}", "[('a', 1)]")]
    [InlineData("{{ 1.5 | string }}{{ none | string }}", "1.5None")]
    [InlineData("{{ '7' | int }} {{ ' -3 ' | int }} {{ '2.9' | int }} {{ 'x' | int }} {{ 'x' | int(5) }} {{ 3.7 | int }} {{ true | int }}", "7 -3 2 0 5 3 1")]
    [InlineData("{{ '0x1F' | int(0, 16) }}", "31")]
    [InlineData("{{ '1.5' | float }} {{ 2 | float }} {{ 'no' | float }} {{ 'no' | float(1.5) }}", "1.5 2.0 0.0 1.5")]
    [InlineData("{{ 'a.b.c' | replace('.', '/') }} {{ 'aaa' | replace('a', 'b', 1) }}", "a/b/c baa")]
    [InlineData("{{ [{'r': 'u'}, {'r': 'a'}] | map(attribute='r') | join }}", "ua")]
    [InlineData("{{ ['a', 'b'] | map('upper') | list }}", "['A', 'B']")]
    [InlineData("{{ [1, 2, 3, 4] | select('even') | list }} {{ [1, 2, 3] | reject('equalto', 2) | list }}", "[2, 4] [1, 3]")]
    [InlineData("{{ [{'a': 1}, {'a': 0}, {}] | selectattr('a') | list | length }}{{ [{'a': 1}, {}] | rejectattr('a', 'defined') | list | length }}", "11")]
    [InlineData("{{ [{'a': {'b': 2}}] | map(attribute='a.b') | first }}", "2")]
    [InlineData("{{ ['b', 'a', 'B'] | unique | list }} {{ ['b', 'a', 'B'] | unique(true) | list }}", "['b', 'a'] ['b', 'a', 'B']")]
    [InlineData("{{ 'a\nb' | indent }}", "a\n    b")]
    [InlineData("{{ 'a\n\nb' | indent(2, first=true) }}", "  a\n\n  b")]
    [InlineData("{{ 'a\n\nb' | indent('> ', blank=true) }}", "a\n> \n> b")]
    [InlineData("{{ '<&>' | safe }} {{ '<&>\"' | e }} {{ \"'\" | escape }}", "<&> &lt;&amp;&gt;&#34; &#39;")]
    [InlineData("{{ 2.345 | round(2) }} {{ 2.5 | round }} {{ 1.21 | round(1, 'ceil') }} {{ 1.29 | round(1, 'floor') }} {{ 4 | round }}", "2.35 2.0 1.3 1.2 4")]
    [InlineData("{{ -2 | abs }} {{ -2.5 | abs }}", "2 2.5")]
    [InlineData("{{ [1, 2] | reverse | list }} {{ 'ab' | reverse }}", "[2, 1] ba")]
    [InlineData("{{ [3, 1, 2] | sort }} {{ ['b', 'A'] | sort }} {{ [1, 3, 2] | sort(true) }}", "[1, 2, 3] ['A', 'b'] [3, 2, 1]")]
    [InlineData("{{ [{'n': 2, 'm': 'b'}, {'n': 1, 'm': 'a'}] | sort(attribute='n') | map(attribute='m') | join }}", "ab")]
    [InlineData("{{ {'b': 1, 'a': 2} | dictsort }} {{ {'b': 1, 'a': 2} | dictsort(by='value', reverse=true) }}", "[('a', 2), ('b', 1)] [('a', 2), ('b', 1)]")]
    [InlineData("{{ [3, 9, 1] | min }} {{ [3, 9, 1] | max }} {{ [1, 2.5] | sum }}", "1 9 3.5")]
    [InlineData("{{ 'a b  c' | wordcount }}", "3")]
    [InlineData("{{ 'x' | center(5) }}|", "  x  |")]
    [InlineData("{{ {'items': 1} | attr('items') is callable }}", "True")]
    public void FilterBehavesAsJinja(string template, string expected) => Assert.Equal(expected, Jinja.Render(template));

    [Theory]
    [InlineData("{{ {'b': [1, 'x'], 'a': none, 'c': true} | tojson }}", "{\"b\": [1, \"x\"], \"a\": null, \"c\": true}")]
    [InlineData("{{ {'a': [1, {}], 'b': []} | tojson(indent=2) }}", "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": []\n}")]
    [InlineData("{{ [1] | tojson(indent=0) }}", "[\n1\n]")]
    [InlineData("{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}", "{\"a\": 2, \"b\": 1}")]
    [InlineData("{{ {'a': 1} | tojson(separators=(',', ':')) }}", "{\"a\":1}")]
    [InlineData("{{ 'é\"\\\\<\n\u0001' | tojson }}", "\"é\\\"\\\\<\\n\\u0001\"")]
    [InlineData("{{ 'é👍' | tojson(ensure_ascii=true) }}", "\"\\u00e9\\ud83d\\udc4d\"")]
    [InlineData("{{ [1.0, 0.1, 1e-7, 1e16] | tojson }}", "[1.0, 0.1, 1e-07, 1e+16]")]
    [InlineData("{{ {1: 'a', true: 'b'} | tojson }}", "{\"1\": \"b\"}")]
    public void ToJsonMatchesPythonJsonDumps(string template, string expected) => Assert.Equal(expected, Jinja.Render(template));

    [Fact]
    public void ToJsonKeepsTheInsertionOrderOfInputDictionaries()
    {
        var tool = new Dictionary<string, object?> { ["z"] = 1, ["a"] = new Dictionary<string, object?> { ["y"] = 2.5, ["b"] = "x" } };
        Assert.Equal("{\"z\": 1, \"a\": {\"y\": 2.5, \"b\": \"x\"}}", Jinja.Render("{{ t | tojson }}", ("t", tool)));
    }
}
