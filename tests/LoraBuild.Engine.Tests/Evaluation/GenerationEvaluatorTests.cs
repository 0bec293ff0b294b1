using LoraBuild.Core.Evaluation;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Evaluation;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.Tests.Checkpoints;

namespace LoraBuild.Engine.Tests.Evaluation;

public class GenerationEvaluatorTests
{
    [Fact]
    public void AnswersAreScoredAgainstWhatGreedyDecodingProduces()
    {
        using var checkpoint = new TinyCheckpoint();
        using var loaded = PretrainedModel.Load(checkpoint.Directory);
        var evaluator = new GenerationEvaluator(loaded.Model, loaded.Tokenizer, loaded.EosTokenIds);
        var probe = new GenerationCase("the order", "unknown", false, "eval.jsonl:1");
        var greedy = loaded.Tokenizer.Decode(new TextGenerator(loaded.Model)
            .Generate(evaluator.PromptIds(probe), SamplingOptions.Greedy with { MaxNewTokens = 5, EosTokenIds = loaded.EosTokenIds }));

        var report = evaluator.Evaluate([probe, probe with { Expected = greedy, Source = "eval.jsonl:2" }], maxNewTokens: 5);

        Assert.Equal([false, true], report.Samples.Select(s => s.ExactMatch));
        Assert.Equal(0.5, report.ExactMatchRate);
        Assert.Equal(greedy, report.Samples[0].Output);
    }

    [Fact]
    public void PromptsStartWithBosWhenTheTokenizerAddsItAndTheTemplateDidNot()
    {
        using var checkpoint = new TinyCheckpoint();
        using var loaded = PretrainedModel.Load(checkpoint.Directory);
        var evaluator = new GenerationEvaluator(loaded.Model, loaded.Tokenizer, loaded.EosTokenIds);
        var body = loaded.Tokenizer.Encode("the order", addSpecialTokens: false);

        Assert.Equal([.. loaded.Tokenizer.PrefixTokenIds, .. body], evaluator.PromptIds(new GenerationCase("the order", "", false, "x")));
        Assert.Equal(body, evaluator.PromptIds(new GenerationCase("the order", "", true, "x")));
    }
}
