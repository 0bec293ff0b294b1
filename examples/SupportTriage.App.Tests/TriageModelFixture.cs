using System.Reflection;
using LoraBuild.Core.Data;
using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Engine.Runtime;
using LoraBuild.Testing;

namespace SupportTriage.App.Tests;

/// <summary>
/// The tiny base model with the SupportTriage adapter from the package (the adapter folder the package copied to
/// lora/SupportTriage/, the base model copied to models/tiny/ of the test output), and its answers to the first
/// held-out tickets, computed once for the test class.
/// </summary>
public sealed class TriageModelFixture : IDisposable
{
    /// <summary>The instruction the adapter was trained with (examples/SupportTriage/data).</summary>
    public const string Instruction = "Classify the support ticket and extract the order number. Answer with JSON.";

    /// <summary>The first tickets of data/eval.jsonl: enough to cover every category, few enough to answer in seconds.</summary>
    public const int TicketCount = 10;

    private readonly Lazy<IReadOnlyList<SnapshotAnswer>> _answers;

    public TriageModelFixture()
    {
        var (outputPath, baseModel) = AdapterReference();
        Model = AdaptedModel.Load(Path.Combine(AppContext.BaseDirectory, "models", baseModel), Path.Combine(AppContext.BaseDirectory, outputPath));
        _answers = new Lazy<IReadOnlyList<SnapshotAnswer>>(AnswerTickets);
    }

    /// <summary>The adapter's folder inside the restored package (with eval_outputs.json, which is not copied to the output).</summary>
    public static string PackagedAdapterFolder() =>
        Assembly.GetExecutingAssembly()
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == "LoraAdapterPackage:SupportTriage")?.Value
        ?? throw new InvalidOperationException("The SupportTriage package is not referenced. Run `dotnet cake --target=ConsumerTest`.");

    /// <summary>Where the package copied the adapter in the test output (relative), and its base model's name.</summary>
    public static (string OutputPath, string BaseModel) AdapterReference()
    {
        var adapter = Assembly.GetExecutingAssembly()
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(attribute => attribute.Key == "LoraAdapter:SupportTriage" && attribute.Value is not null)
            .Select(attribute => attribute.Value!.Split('|'))
            .SingleOrDefault();
        return adapter is [var outputPath, var baseModel, _]
            ? (outputPath, baseModel)
            : throw new InvalidOperationException("The SupportTriage package is not referenced: no LoraAdapterReference was built into the tests. Run `dotnet cake --target=ConsumerTest`.");
    }

    public AdaptedModel Model { get; }

    /// <summary>The adapter's greedy answers to the first <see cref="TicketCount"/> tickets, with reference and scores.</summary>
    public IReadOnlyList<SnapshotAnswer> Answers => _answers.Value;

    public void Dispose() => Model.Dispose();

    private List<SnapshotAnswer> AnswerTickets()
    {
        var suite = MetricSuite.Parse("exact-match;json-fields", pattern: null, location: "data/eval.jsonl");
        var tickets = DatasetReader.ReadAlpaca(Path.Combine(AppContext.BaseDirectory, "data", "eval.jsonl")).Take(TicketCount).ToList();
        return tickets.Select(ticket =>
        {
            if (ticket.Instruction != Instruction)
            {
                throw new InvalidOperationException($"{ticket.Location}: the instruction is not the one the adapter was trained with.");
            }

            var source = EvalSource.Relative(ticket.Location, AppContext.BaseDirectory);
            var answer = Model.Answer(ticket.Instruction, ticket.Input);
            return new SnapshotAnswer(source, ticket.Input, answer)
            {
                Reference = ticket.Output,
                Scores = suite.Score(answer, ticket.Output, source),
            };
        }).ToList();
    }
}
