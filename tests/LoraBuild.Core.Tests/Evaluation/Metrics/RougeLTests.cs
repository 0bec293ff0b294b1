using LoraBuild.Core.Evaluation.Metrics;

namespace LoraBuild.Core.Tests.Evaluation.Metrics;

public class RougeLTests
{
    [Theory]
    // Lin (2004), section 3.1: against "police killed the gunman" both candidates share the same three words, but in
    // order S2 keeps "police the gunman" (LCS 3 of 4) and S3 only "the gunman" (LCS 2 of 4), so S2 ranks higher.
    [InlineData("police kill the gunman", "police killed the gunman", 0.75)]
    [InlineData("the gunman kill police", "police killed the gunman", 0.5)]
    [InlineData("the cat on mat", "the cat sat on the mat", 0.8)]
    [InlineData("The CAT  sat\non the mat", "the cat sat on the mat", 1)]
    [InlineData("dog", "the cat sat on the mat", 0)]
    public void FMeasureWithBetaOneMatchesHandComputedValues(string candidate, string reference, double f) =>
        Assert.Equal(f, RougeL.Score(candidate, reference).F, 12);

    [Fact]
    public void PrecisionIsOverTheCandidateAndRecallOverTheReference()
    {
        // LCS("the cat on mat", "the cat sat on the mat") = 4: P = 4/4, R = 4/6.
        var result = RougeL.Score("the cat on mat", "the cat sat on the mat");

        Assert.Equal(1, result.Precision, 12);
        Assert.Equal(4 / 6.0, result.Recall, 12);
    }

    [Fact]
    public void BetaWeighsRecall()
    {
        // F = (1 + 4)·R·P / (R + 4·P) with P = 1, R = 2/3: (10/3) / (14/3) = 5/7.
        Assert.Equal(5 / 7.0, RougeL.Score("the cat on mat", "the cat sat on the mat", beta: 2).F, 12);
    }

    [Theory]
    [InlineData("", "", 1)]
    [InlineData("  \n", "", 1)]
    [InlineData("", "answer", 0)]
    [InlineData("answer", "", 0)]
    public void EmptyTextsAreIdenticalToEachOtherOnly(string candidate, string reference, double f) =>
        Assert.Equal(f, RougeL.Score(candidate, reference).F);

    [Fact]
    public void LongestCommonSubsequenceSkipsTokensInBetween() =>
        Assert.Equal(4, RougeL.LongestCommonSubsequence(["a", "b", "c", "b", "d", "a", "b"], ["b", "d", "c", "a", "b", "a"]));

    [Fact]
    public void PunctuationStaysPartOfItsToken() =>
        Assert.Equal(["late,", "billing."], RougeL.Tokenize("Late, Billing."));

    [Fact]
    public void TheMetricReportsTheFMeasure() =>
        Assert.Equal(0.8, new RougeLMetric().Score("the cat on mat", "the cat sat on the mat", "eval.jsonl:1").Value, 12);
}
