using LoraBuild.Core.Evaluation;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.Models;
using LoraBuild.Engine.Tokenizers;
using static TorchSharp.torch;

namespace LoraBuild.Engine.Evaluation;

/// <summary>Generates an answer for each held-out prompt, greedily so the outputs are deterministic, and scores it.</summary>
public sealed class GenerationEvaluator(CausalLanguageModel model, HuggingFaceTokenizer tokenizer, IReadOnlySet<int> eosTokenIds)
{
    public GenerationReport Evaluate(IReadOnlyList<GenerationCase> cases, int maxNewTokens, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(cases);
        var wasTraining = model.training;
        model.eval();
        try
        {
            var options = SamplingOptions.Greedy with { MaxNewTokens = maxNewTokens, EosTokenIds = eosTokenIds };
            var generator = new TextGenerator(model);
            var samples = new List<GenerationSample>(cases.Count);
            using var noGrad = no_grad();
            foreach (var testCase in cases)
            {
                cancellation.ThrowIfCancellationRequested();
                var ids = generator.Generate(PromptIds(testCase), options).ToList();
                var output = tokenizer.Decode(ids);
                samples.Add(new GenerationSample(testCase.Source, testCase.Expected, output, ExactMatch.Matches(output, testCase.Expected)));
            }

            return new GenerationReport(samples);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    /// <summary>The prompt's ids as training saw them: bos first when the tokenizer adds one and the template did not write it.</summary>
    public IReadOnlyList<int> PromptIds(GenerationCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var ids = new List<int>();
        if (!testCase.PromptIncludesBos && tokenizer.PrefixTokenIds.Count > 0)
        {
            ids.AddRange(tokenizer.PrefixTokenIds);
        }

        ids.AddRange(tokenizer.Encode(testCase.Prompt, addSpecialTokens: false));
        return ids;
    }
}

public sealed record GenerationSample(string Source, string Expected, string Output, bool ExactMatch);

public sealed record GenerationReport(IReadOnlyList<GenerationSample> Samples)
{
    public double ExactMatchRate => Samples.Count == 0 ? 0 : Samples.Count(s => s.ExactMatch) / (double)Samples.Count;
}
