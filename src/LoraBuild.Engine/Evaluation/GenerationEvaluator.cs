using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Progress;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tokenizers;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Evaluation;

/// <summary>Generates an answer for each held-out prompt, greedily so the outputs are deterministic, and scores it.</summary>
public sealed class GenerationEvaluator(CausalLanguageModel model, HuggingFaceTokenizer tokenizer, IReadOnlySet<int> eosTokenIds)
{
    /// <summary>Answers <paramref name="cases"/> and scores them with <c>exact-match</c> alone.</summary>
    public GenerationReport Evaluate(IReadOnlyList<GenerationCase> cases, int maxNewTokens, CancellationToken cancellation = default) =>
        Evaluate(cases, maxNewTokens, MetricSuite.Default, cancellation);

    /// <summary>Answers <paramref name="cases"/> and scores them with every metric of <paramref name="metrics"/>.</summary>
    public GenerationReport Evaluate(IReadOnlyList<GenerationCase> cases, int maxNewTokens, MetricSuite metrics, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(metrics);
        return Evaluate([new EvalSuite(metrics, cases)], maxNewTokens, cancellation);
    }

    /// <summary>Answers every suite's prompts, suite by suite in order, each scored with its own metrics.</summary>
    public GenerationReport Evaluate(IReadOnlyList<EvalSuite> suites, int maxNewTokens, CancellationToken cancellation = default) =>
        Evaluate(suites, maxNewTokens, progress: null, cancellation);

    /// <inheritdoc cref="Evaluate(IReadOnlyList{EvalSuite}, int, CancellationToken)"/>
    /// <param name="progress">Told after each answered prompt how many of all the suites' prompts are done.</param>
    public GenerationReport Evaluate(IReadOnlyList<EvalSuite> suites, int maxNewTokens, IProgress<WorkProgress>? progress, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(suites);
        var wasTraining = model.training;
        model.eval();
        try
        {
            var options = SamplingOptions.Greedy with { MaxNewTokens = maxNewTokens, EosTokenIds = eosTokenIds };
            var generator = new TextGenerator(model);
            var total = suites.Sum(s => s.Cases.Count);
            var samples = new List<GenerationSample>(total);
            using var noGrad = no_grad();
            foreach (var suite in suites)
            {
                foreach (var testCase in suite.Cases)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var ids = generator.Generate(PromptIds(testCase), options).ToList();
                    var output = tokenizer.Decode(ids);
                    samples.Add(new GenerationSample(
                        testCase.Source,
                        testCase.Prompt,
                        testCase.Expected,
                        output,
                        ExactMatch.Matches(output, testCase.Expected),
                        suite.Metrics.Score(output, testCase.Expected, testCase.Source)));
                    progress?.Report(new WorkProgress(samples.Count, total));
                }
            }

            return new GenerationReport(samples, [.. suites.Select(s => s.Metrics)]);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The prompt's ids as training saw them (see <see cref="PromptTokens.Of"/>).</summary>
    public IReadOnlyList<int> PromptIds(GenerationCase testCase) => PromptTokens.Of(tokenizer, testCase);
}
