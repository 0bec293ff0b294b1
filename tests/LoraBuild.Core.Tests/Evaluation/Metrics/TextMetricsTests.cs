using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Evaluation.Metrics;

namespace LoraBuild.Core.Tests.Evaluation.Metrics;

public class TextMetricsTests
{
    [Theory]
    [InlineData("late", " late\n", 1)]
    [InlineData("Late", "late", 0)]
    [InlineData("late delivery", "late", 0)]
    public void ExactMatchScoresOneOrZero(string output, string expected, double value) =>
        Assert.Equal(value, new ExactMatchMetric().Score(output, expected, "x").Value);

    [Theory]
    [InlineData("The ticket is about billing.", "billing", 1)]
    [InlineData("The ticket is about billing.", " billing\n", 1)]
    [InlineData("The ticket is about Billing.", "billing", 0)]
    [InlineData("bill", "billing", 0)]
    public void ContainsLooksForTheTrimmedReferenceCaseSensitively(string output, string expected, double value) =>
        Assert.Equal(value, new ContainsMetric().Score(output, expected, "x").Value);

    [Theory]
    [InlineData("TICKET-123", 1)]
    [InlineData("see TICKET-9 now", 1)]
    [InlineData("ticket-123", 0)]
    public void RegexWithASuitePatternSearchesTheAnswer(string output, double value) =>
        Assert.Equal(value, new RegexMetric("TICKET-[0-9]+", "LoraEval 'eval.jsonl'").Score(output, "ignored", "x").Value);

    [Fact]
    public void AnchoredPatternsMustMatchTheWholeAnswer()
    {
        var metric = new RegexMetric("^(bug|feature)$", "x");

        Assert.Equal(1, metric.Score("bug", "", "x").Value);
        Assert.Equal(0, metric.Score("bug report", "", "x").Value);
    }

    [Fact]
    public void WithoutASuitePatternEachExpectedAnswerIsThePattern()
    {
        var metric = new RegexMetric(null, "x");

        Assert.Null(metric.Pattern);
        Assert.Equal(1, metric.Score("priority: high", "priority: (high|urgent)", "eval.jsonl:1").Value);
        Assert.Equal(0, metric.Score("priority: low", "priority: (high|urgent)", "eval.jsonl:2").Value);
    }

    [Theory]
    [InlineData("([a-z]+")]
    [InlineData("(a)\\1")]
    [InlineData("(?=a)a")]
    public void AnInvalidOrBacktrackingOnlySuitePatternIsAnErrorNamingTheSetting(string pattern)
    {
        var error = Assert.Throws<LoraException>(() => new RegexMetric(pattern, "project.csproj(12): LoraEval 'eval.jsonl' Pattern"));

        Assert.Equal(EvalErrorCodes.InvalidPattern, error.Code);
        Assert.Equal("project.csproj(12): LoraEval 'eval.jsonl' Pattern", error.Location);
        Assert.Contains(pattern, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidPerSamplePatternIsAnErrorNamingTheSample()
    {
        var error = Assert.Throws<LoraException>(() => new RegexMetric(null, "x").Score("a", "[a-", "data/eval.jsonl:3"));

        Assert.Equal(EvalErrorCodes.InvalidPattern, error.Code);
        Assert.Equal("data/eval.jsonl:3", error.Location);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(2, 7.38905609893065)]
    [InlineData(0.6931471805599453, 2)]
    public void PerplexityIsTheExponentialOfTheMeanLoss(double loss, double perplexity) =>
        Assert.Equal(perplexity, Perplexity.FromMeanLoss(loss), 12);

    [Fact]
    public void PerplexityOfAUniformGuessIsTheVocabularySize()
    {
        Assert.Equal(32000, Perplexity.FromMeanLoss(Math.Log(32000)), 6);
        Assert.Equal(Math.Exp(2), Perplexity.FromTotalLoss(6, 3), 12);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void PerplexityRejectsLossesThatCannotBeOne(double loss) =>
        Assert.Equal(EvalErrorCodes.InvalidLoss, Assert.Throws<LoraException>(() => Perplexity.FromMeanLoss(loss)).Code);
}
