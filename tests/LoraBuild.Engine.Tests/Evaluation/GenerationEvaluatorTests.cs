using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Evaluation.Outputs;
using LoraBuild.Engine.Checkpoints;
using LoraBuild.Engine.Evaluation;
using LoraBuild.Engine.Generation;
using LoraBuild.Engine.Tests.Checkpoints;
using LoraBuild.Engine.Tests.SafeTensors;

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

    [Fact]
    public void EveryRequestedMetricScoresEachSampleAndTheReportAggregatesThem()
    {
        using var checkpoint = new TinyCheckpoint();
        using var loaded = PretrainedModel.Load(checkpoint.Directory);
        var evaluator = new GenerationEvaluator(loaded.Model, loaded.Tokenizer, loaded.EosTokenIds);
        var probe = new GenerationCase("the order", "unknown", false, "eval.jsonl:1");
        var greedy = evaluator.Evaluate([probe], maxNewTokens: 5).Samples[0].Output;

        var report = evaluator.Evaluate(
            [probe, probe with { Expected = greedy, Source = "eval.jsonl:2" }],
            maxNewTokens: 5,
            MetricSuite.Parse("exact-match;contains;rouge-l", null, "x"));

        Assert.Equal(["contains", "exact_match", "rouge_l"], report.Samples[0].Scores.Keys);
        Assert.Equal([0.0, 0, RougeL.Score(greedy, "unknown").F], report.Samples[0].Scores.Values);
        Assert.Equal([1.0, 1, 1], report.Samples[1].Scores.Values);
        Assert.Equal(0.5, report.Aggregates["exact_match"]);
        Assert.Equal(report.ExactMatchRate, report.Aggregates["exact_match"]);
        Assert.Equal("the order", report.Samples[1].Prompt);
    }

    [Fact]
    public void EachSuiteScoresItsOwnSamplesInOrderAndExactMatchIsAlwaysKnown()
    {
        using var checkpoint = new TinyCheckpoint();
        using var loaded = PretrainedModel.Load(checkpoint.Directory);
        var evaluator = new GenerationEvaluator(loaded.Model, loaded.Tokenizer, loaded.EosTokenIds);
        var probe = new GenerationCase("the order", "unknown", false, "a.jsonl:1");

        var report = evaluator.Evaluate(
            [new EvalSuite(MetricSuite.Parse("rouge-l", null, "a"), [probe]), new EvalSuite(MetricSuite.Parse("json-valid", null, "b"), [probe with { Source = "b.jsonl:1" }])],
            maxNewTokens: 5);

        Assert.Equal(["a.jsonl:1", "b.jsonl:1"], report.Samples.Select(s => s.Source));
        Assert.Equal(["rouge_l"], report.Samples[0].Scores.Keys);
        Assert.Equal(["json_valid"], report.Samples[1].Scores.Keys);
        Assert.Equal(["json_valid", "rouge_l"], report.Aggregates.Keys);
        Assert.All(report.Samples, s => Assert.False(s.ExactMatch));
    }

    [Fact]
    public void OutputsFromTwoRunsOnTheSameModelAreByteIdenticalWithRelativeSources()
    {
        using var checkpoint = new TinyCheckpoint();
        using var loaded = PretrainedModel.Load(checkpoint.Directory);
        using var folder = new TempDirectory();
        var project = Path.Combine(folder.Path, "project");
        var suite = new EvalSuite(
            MetricSuite.Parse("exact-match;rouge-l;json-valid", null, "x"),
            [new GenerationCase("the order", "arrived late", false, Path.Combine(project, "data", "eval.jsonl") + ":1"),
             new GenerationCase("the kettle", "was broken", false, Path.Combine(project, "data", "eval.jsonl") + ":2")]);
        byte[] WriteOnce(string name)
        {
            var evaluator = new GenerationEvaluator(loaded.Model, loaded.Tokenizer, loaded.EosTokenIds);
            var before = evaluator.Evaluate([suite], maxNewTokens: 6);
            var after = evaluator.Evaluate([suite], maxNewTokens: 6);
            var path = Path.Combine(folder.Path, name, EvalOutputs.FileName);
            EvalOutputsJson.WriteFile(EvalOutputsBuilder.Create(before, after, project), path);
            return File.ReadAllBytes(path);
        }

        var first = WriteOnce("one");
        var second = WriteOnce("two");

        Assert.Equal(first, second);
        var outputs = EvalOutputsJson.ReadFile(Path.Combine(folder.Path, "one", EvalOutputs.FileName));
        Assert.Equal(["data/eval.jsonl:1", "data/eval.jsonl:2"], outputs.Samples.Select(s => s.Source));
        Assert.Equal(["exact-match", "rouge-l", "json-valid"], outputs.Metrics);
        Assert.DoesNotContain(folder.Path, System.Text.Encoding.UTF8.GetString(first), StringComparison.Ordinal);
    }
}
