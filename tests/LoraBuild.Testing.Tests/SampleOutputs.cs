using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Testing.Tests;

/// <summary>Small evaluation outputs scored by the real metrics, with one answer that can be swapped.</summary>
internal static class SampleOutputs
{
    public static readonly string[] Expected = ["damaged 29053", "late 30470", "refund 36131"];

    public static EvalOutputs Create(params (int Index, string Answer)[] changedAnswers)
    {
        var suite = MetricSuite.Parse("exact-match;rouge-l", pattern: null, location: "data/eval.jsonl");
        var samples = Expected.Select((expected, i) =>
        {
            var source = $"data/eval.jsonl:{i + 1}";
            var answer = changedAnswers.FirstOrDefault(c => c.Index == i).Answer ?? expected;
            var before = expected.Split(' ')[0];
            return new EvalOutputSample(
                i,
                source,
                $"### Instruction:\nClassify ticket {i}\n\n### Response:\n",
                expected,
                new EvalAnswer(before, suite.Score(before, expected, source)),
                new EvalAnswer(answer, suite.Score(answer, expected, source)));
        }).ToList();
        return EvalOutputs.Create([suite], samples);
    }
}
