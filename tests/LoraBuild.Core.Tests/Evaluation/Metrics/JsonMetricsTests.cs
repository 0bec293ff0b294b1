using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Evaluation.Metrics;

namespace LoraBuild.Core.Tests.Evaluation.Metrics;

public class JsonMetricsTests
{
    private const string Expected = """{"priority": "high", "team": "billing"}""";

    [Fact]
    public void EveryExpectedFieldEqualScoresOneAndExtraFieldsAreAllowed()
    {
        var score = new JsonFieldsMetric().Score("""{"team":"billing","extra":[1],"priority":"high"}""", Expected, "eval.jsonl:1");

        Assert.Equal(1, score.Value);
        Assert.Equal(new Dictionary<string, double> { ["priority"] = 1, ["team"] = 1 }, score.Parts);
    }

    [Fact]
    public void OneWrongFieldFailsTheSampleButScoresTheOthers()
    {
        var score = new JsonFieldsMetric().Score("""{"team": "billing", "priority": "low"}""", Expected, "eval.jsonl:1");

        Assert.Equal(0, score.Value);
        Assert.Equal(new Dictionary<string, double> { ["priority"] = 0, ["team"] = 1 }, score.Parts);
    }

    [Theory]
    [InlineData("""{"team": "billing"}""")]
    [InlineData("""{"priority": "High", "team": "billing"}""")]
    [InlineData("""{"priority": ["high"], "team": "billing"}""")]
    [InlineData("""priority: high, team: billing""")]
    [InlineData("""["high", "billing"]""")]
    [InlineData("""```json\n{"priority": "high", "team": "billing"}\n```""")]
    public void MissingFieldsOtherValuesAndNonObjectsFail(string output) =>
        Assert.Equal(0, new JsonFieldsMetric().Score(output, Expected, "eval.jsonl:1").Value);

    [Theory]
    [InlineData("""{"n": 1, "o": {"a": 1, "b": [true, null]}}""", """{"o": {"b": [true, null], "a": 1}, "n": 1}""", 1)]
    [InlineData("""{"n": 1.0}""", """{"n": 1}""", 1)]
    [InlineData("""{"n": 10E-1}""", """{"n": 1}""", 1)]
    [InlineData("""{"n": "1"}""", """{"n": 1}""", 0)]
    [InlineData("""{"o": {"a": 1, "b": 2}}""", """{"o": {"a": 1}}""", 0)]
    public void NestedValuesCompareAsJsonNotAsText(string output, string expected, double value) =>
        Assert.Equal(value, new JsonFieldsMetric().Score(output, expected, "eval.jsonl:1").Value);

    [Theory]
    [InlineData("high")]
    [InlineData("[1, 2]")]
    [InlineData("{\"a\": }")]
    public void AnExpectedAnswerThatIsNotAJsonObjectIsAnErrorNamingTheSample(string expected)
    {
        var error = Assert.Throws<LoraException>(() => new JsonFieldsMetric().Score("{}", expected, "data/eval.jsonl:7"));

        Assert.Equal(EvalErrorCodes.ExpectedNotJsonObject, error.Code);
        Assert.Equal("data/eval.jsonl:7", error.Location);
    }

    [Theory]
    [InlineData("""{"a": [1, 2]}""", 1)]
    [InlineData(""" "just a string" """, 1)]
    [InlineData("42", 1)]
    [InlineData("\n{\"a\": 1}\n", 1)]
    [InlineData("""{"a": 1,}""", 0)]
    [InlineData("""{"a": 1} // done""", 0)]
    [InlineData("""{"a": 1} {"b": 2}""", 0)]
    [InlineData("""Here is the JSON: {"a": 1}""", 0)]
    [InlineData("", 0)]
    public void ValidJsonIsExactlyOneStrictValue(string output, double value) =>
        Assert.Equal(value, new JsonValidMetric().Score(output, "", "eval.jsonl:1").Value);
}
