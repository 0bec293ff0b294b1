using LoraBuild.Core.Data;
using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.LlamaCpp;
using LoraBuild.Testing;

namespace SupportTriage.App.Tests;

/// <summary>
/// The same adapter from the same package on the other runtime: llama.cpp through LLamaSharp, loading the GGUF files the
/// package carries (lora/SupportTriage/adapter.gguf on lora/SupportTriage/model.gguf, the tiny base exported as f32).
/// </summary>
public sealed class LlamaCppTriageFixture : IDisposable
{
    private readonly Lazy<IReadOnlyList<SnapshotAnswer>> _answers;

    public LlamaCppTriageFixture()
    {
        AdapterDirectory = Path.Combine(AppContext.BaseDirectory, TriageModelFixture.AdapterReference().OutputPath);
        Model = LlamaCppAdaptedModel.LoadAdapterFolder(AdapterDirectory, options: new LlamaCppOptions { Threads = 2 });
        _answers = new Lazy<IReadOnlyList<SnapshotAnswer>>(() => Answer(TriageModelFixture.TicketCount));
    }

    public string AdapterDirectory { get; }

    public LlamaCppAdaptedModel Model { get; }

    /// <summary>llama.cpp's greedy answers to the first <see cref="TriageModelFixture.TicketCount"/> tickets, with reference and scores.</summary>
    public IReadOnlyList<SnapshotAnswer> Answers => _answers.Value;

    /// <summary>llama.cpp's answers to the first <paramref name="count"/> held-out tickets (all of them when null).</summary>
    public List<SnapshotAnswer> Answer(int? count)
    {
        var suite = MetricSuite.Parse("exact-match;json-fields", pattern: null, location: "data/eval.jsonl");
        var tickets = DatasetReader.ReadAlpaca(Path.Combine(AppContext.BaseDirectory, "data", "eval.jsonl")).Take(count ?? int.MaxValue).ToList();
        return [.. tickets.Select(ticket =>
        {
            var source = EvalSource.Relative(ticket.Location, AppContext.BaseDirectory);
            var answer = Model.Answer(ticket.Instruction, ticket.Input);
            return new SnapshotAnswer(source, ticket.Input, answer)
            {
                Reference = ticket.Output,
                Scores = suite.Score(answer, ticket.Output, source),
            };
        })];
    }

    public void Dispose() => Model.Dispose();
}
