using LoraBuild.Core.Data;
using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Testing;

namespace SupportTriage.App.Tests;

/// <summary>
/// Locks down what the packaged adapter answers on the first held-out tickets (greedy decoding, so the same on every
/// run on this kind of machine). A change of the adapter, the base model or the engine that changes an answer fails
/// here with the ticket, its line in data/eval.jsonl and both answers; accept a deliberate change with
/// LORABUILD_ACCEPT_SNAPSHOTS=1 and commit support-triage-answers.verified.json.
/// </summary>
public class TriageAnswerTests(TriageModelFixture fixture) : IClassFixture<TriageModelFixture>
{
    /// <summary>The first tickets of data/eval.jsonl: enough to cover every category, few enough to answer in seconds.</summary>
    private const int TicketCount = 10;

    [Fact]
    public void TheAdapterWasTrainedOnTheBaseModelShippedHere() =>
        Assert.Empty(fixture.Model.Warnings);

    [Fact]
    public void TheAnswersMatchTheVerifiedSnapshot()
    {
        var suite = MetricSuite.Parse("exact-match;json-fields", pattern: null, location: "data/eval.jsonl");
        var tickets = DatasetReader.ReadAlpaca(Path.Combine(AppContext.BaseDirectory, "data", "eval.jsonl")).Take(TicketCount).ToList();

        var answers = tickets.Select(ticket =>
        {
            var source = EvalSource.Relative(ticket.Location, AppContext.BaseDirectory);
            var answer = fixture.Model.Answer(ticket.Instruction, ticket.Input);
            return new SnapshotAnswer(source, ticket.Input, answer)
            {
                Reference = ticket.Output,
                Scores = suite.Score(answer, ticket.Output, source),
            };
        }).ToList();

        Assert.All(tickets, ticket => Assert.Equal(TriageModelFixture.Instruction, ticket.Instruction));
        AnswerSnapshot.Verify(answers, "support-triage-answers");
    }
}
