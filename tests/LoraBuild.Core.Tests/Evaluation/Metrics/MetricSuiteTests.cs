using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Evaluation.Metrics;

namespace LoraBuild.Core.Tests.Evaluation.Metrics;

public class MetricSuiteTests
{
    [Fact]
    public void ASemicolonListKeepsTheUsersOrderAndIgnoresCaseAndEmptyEntries()
    {
        var suite = MetricSuite.Parse(" ROUGE-L; exact-match;;json-fields ;", pattern: null, "x");

        Assert.Equal(["rouge-l", "exact-match", "json-fields"], suite.Metrics.Select(m => m.Name));
        Assert.Equal("rouge-l;exact-match;json-fields", suite.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ; ")]
    public void NoMetricMeansExactMatch(string? list) =>
        Assert.Same(MetricSuite.Default, MetricSuite.Parse(list, null, "x"));

    [Fact]
    public void EveryDocumentedNameCreatesItsMetric() =>
        Assert.Equal(MetricNames.All, MetricSuite.Parse(string.Join(';', MetricNames.All), "a", "x").Metrics.Select(m => m.Name));

    [Fact]
    public void AnUnknownNameIsAnErrorListingTheKnownOnes()
    {
        var error = Assert.Throws<LoraException>(() => MetricSuite.Parse("exact-match;bleu", null, "app.csproj(9): LoraEval 'eval.jsonl'"));

        Assert.Equal(EvalErrorCodes.UnknownMetric, error.Code);
        Assert.Equal("app.csproj(9): LoraEval 'eval.jsonl'", error.Location);
        Assert.Contains("'bleu'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rouge-l", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ANameListedTwiceIsAnError() =>
        Assert.Equal(EvalErrorCodes.DuplicateMetric, Assert.Throws<LoraException>(() => MetricSuite.Parse("contains;Contains", null, "x")).Code);

    [Fact]
    public void ASampleGetsEveryMetricsKeyAndItsPartsInOrdinalOrder()
    {
        var suite = MetricSuite.Parse("json-fields;exact-match;json-valid", null, "x");

        var scores = suite.Score("""{"b": 2, "a": 0}""", """{"a": 1, "b": 2}""", "eval.jsonl:1");

        Assert.Equal(["exact_match", "json_fields", "json_fields.a", "json_fields.b", "json_valid"], scores.Keys);
        Assert.Equal([0.0, 0, 0, 1, 1], scores.Values);
    }

    [Fact]
    public void AggregatesAreMeansOverTheSamplesThatHaveEachKey()
    {
        IReadOnlyDictionary<string, double>[] samples =
        [
            new Dictionary<string, double> { ["exact_match"] = 1, ["rouge_l"] = 0.5 },
            new Dictionary<string, double> { ["exact_match"] = 0, ["rouge_l"] = 0.25 },
            new Dictionary<string, double> { ["exact_match"] = 0 },
        ];

        var means = MetricSuite.Aggregate(samples);

        Assert.Equal(["exact_match", "rouge_l"], means.Keys);
        Assert.Equal(1 / 3.0, means["exact_match"], 15);
        Assert.Equal(0.375, means["rouge_l"], 15);
    }
}
