using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Testing;

namespace SupportTriage.App.Tests;

/// <summary>
/// The packaged adapter answers the same on llama.cpp as on LoraBuild's engine: the same verified snapshot as
/// <see cref="TriageAnswerTests"/>, and the same exact match on every held-out ticket as the build's own evaluation.
/// </summary>
public class LlamaCppTriageAnswerTests(LlamaCppTriageFixture fixture) : IClassFixture<LlamaCppTriageFixture>
{
    [Fact]
    public void TheAnswersMatchTheVerifiedSnapshotOfTheEngine() =>
        AnswerSnapshot.Verify(fixture.Answers, "support-triage-answers");

    [Fact]
    public void EveryHeldOutAnswerMatchesTheBuildsEvaluation()
    {
        var evaluation = EvalOutputsJson.ReadFile(Path.Combine(TriageModelFixture.PackagedAdapterFolder(), EvalOutputs.FileName));
        var answers = fixture.Answer(count: null);

        Assert.Equal(evaluation.Samples.Count, answers.Count);
        var engineExact = evaluation.Samples.Count(sample => sample.After.Scores["exact_match"] == 1);
        var llamaExact = answers.Count(answer => answer.Scores!["exact_match"] == 1);
        Assert.InRange(llamaExact, engineExact - 1, engineExact + 1);
        var differing = evaluation.Samples.Zip(answers).Where(pair => pair.First.After.Output != pair.Second.Answer).Select(pair => pair.Second.Source).ToList();
        Assert.True(differing.Count <= 1, $"llama.cpp answered differently from the engine on {string.Join(", ", differing)}");
    }
}
