using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation;
using LoraBuild.Core.Evaluation.Metrics;
using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Core.Tests.Evaluation.Outputs;

public class EvalOutputsJsonTests
{
    private static EvalOutputs Sample()
    {
        var suite = MetricSuite.Parse("exact-match;rouge-l", null, "x");
        EvalOutputSample Case(int index, string expected, string before, string after) => new(
            index,
            $"data/eval.jsonl:{index + 1}",
            $"### Instruction:\nClassify ticket {index}\n\n### Response:\n",
            expected,
            new EvalAnswer(before, suite.Score(before, expected, "x")),
            new EvalAnswer(after, suite.Score(after, expected, "x")));

        return EvalOutputs.Create([suite], [Case(0, "billing high", "billing", "billing high"), Case(1, "bug \"low\"", "feature", "bug \"low\"")]);
    }

    [Fact]
    public void TheLayoutHasAFixedKeyOrderCanonicalNumbersAndLfLineEnds()
    {
        var json = EvalOutputsJson.Serialize(Sample());

        Assert.Equal(
            """
            {
              "version": 1,
              "metrics": [
                "exact-match",
                "rouge-l"
              ],
              "aggregates": {
                "before": {
                  "exact_match": 0,
                  "rouge_l": 0.3333333333333333
                },
                "after": {
                  "exact_match": 1,
                  "rouge_l": 1
                }
              },
              "samples": [
                {
                  "index": 0,
                  "source": "data/eval.jsonl:1",
                  "prompt": "### Instruction:\nClassify ticket 0\n\n### Response:\n",
                  "expected": "billing high",
                  "before": {
                    "output": "billing",
                    "scores": {
                      "exact_match": 0,
                      "rouge_l": 0.6666666666666666
                    }
                  },
                  "after": {
                    "output": "billing high",
                    "scores": {
                      "exact_match": 1,
                      "rouge_l": 1
                    }
                  }
                },
                {
                  "index": 1,
                  "source": "data/eval.jsonl:2",
                  "prompt": "### Instruction:\nClassify ticket 1\n\n### Response:\n",
                  "expected": "bug \"low\"",
                  "before": {
                    "output": "feature",
                    "scores": {
                      "exact_match": 0,
                      "rouge_l": 0
                    }
                  },
                  "after": {
                    "output": "bug \"low\"",
                    "scores": {
                      "exact_match": 1,
                      "rouge_l": 1
                    }
                  }
                }
              ]
            }

            """.ReplaceLineEndings("\n"),
            json);
        Assert.DoesNotContain('\r', json);
    }

    [Fact]
    public void ReadingGivesBackWhatWasWritten()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, EvalOutputs.FileName);
        var outputs = Sample();

        EvalOutputsJson.WriteFile(outputs, path);
        var read = EvalOutputsJson.ReadFile(path);

        Assert.Equal(outputs.Metrics, read.Metrics);
        Assert.Equal(outputs.Before, read.Before);
        Assert.Equal(outputs.After, read.After);
        Assert.Equal(outputs.Samples.Count, read.Samples.Count);
        for (var i = 0; i < outputs.Samples.Count; i++)
        {
            var (expected, actual) = (outputs.Samples[i], read.Samples[i]);
            Assert.Equal((expected.Index, expected.Source, expected.Prompt, expected.Expected), (actual.Index, actual.Source, actual.Prompt, actual.Expected));
            Assert.Equal((expected.Before.Output, expected.After.Output), (actual.Before.Output, actual.After.Output));
            Assert.Equal(expected.Before.Scores, actual.Before.Scores);
            Assert.Equal(expected.After.Scores, actual.After.Scores);
        }

        Assert.Equal(File.ReadAllBytes(path), EvalOutputsJson.SerializeToUtf8Bytes(read));
    }

    [Fact]
    public void WritingTheSameDataTwiceGivesIdenticalBytesAndLeavesNoTemporaryFile()
    {
        using var folder = new TempDirectory();
        var path = Path.Combine(folder.Path, EvalOutputs.FileName);

        EvalOutputsJson.WriteFile(Sample(), path);
        var first = File.ReadAllBytes(path);
        EvalOutputsJson.WriteFile(Sample(), path);

        Assert.Equal(first, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
        Assert.NotEqual(0xEF, first[0]);
    }

    [Fact]
    public void ScoreKeysAreWrittenInOrdinalOrderWhateverTheDictionaryOrder()
    {
        var scores = new Dictionary<string, double> { ["rouge_l"] = 0.5, ["json_fields.b"] = 1, ["json_fields"] = 0, ["exact_match"] = 0 };
        var outputs = new EvalOutputs(["rouge-l"], scores, scores, []);

        var json = EvalOutputsJson.Serialize(outputs);

        Assert.True(
            json.IndexOf("\"exact_match\"", StringComparison.Ordinal) < json.IndexOf("\"json_fields\"", StringComparison.Ordinal)
            && json.IndexOf("\"json_fields\"", StringComparison.Ordinal) < json.IndexOf("\"json_fields.b\"", StringComparison.Ordinal)
            && json.IndexOf("\"json_fields.b\"", StringComparison.Ordinal) < json.IndexOf("\"rouge_l\"", StringComparison.Ordinal));
    }

    [Fact]
    public void NonAsciiTextIsWrittenAsItIsAndControlCharactersEscaped()
    {
        var answer = new EvalAnswer("café → ✓\tok", new Dictionary<string, double>());
        var outputs = new EvalOutputs([], answer.Scores, answer.Scores, [new EvalOutputSample(0, "eval.jsonl:1", "p", "e", answer, answer)]);

        var json = EvalOutputsJson.Serialize(outputs);

        Assert.Contains("\"output\": \"café → ✓\\tok\"", json, StringComparison.Ordinal);
        Assert.Equal("café → ✓\tok", EvalOutputsJson.Deserialize(json, "x").Samples[0].After.Output);
    }

    [Theory]
    [InlineData("/home/me/project/data/eval.jsonl:3")]
    [InlineData("C:\\project\\data\\eval.jsonl:3")]
    public void AnAbsoluteSourceIsRefused(string source)
    {
        var answer = new EvalAnswer("a", new Dictionary<string, double>());
        var outputs = new EvalOutputs([], answer.Scores, answer.Scores, [new EvalOutputSample(0, source, "p", "e", answer, answer)]);

        Assert.Throws<ArgumentException>(() => EvalOutputsJson.Serialize(outputs));
    }

    [Theory]
    [InlineData("{\"version\": 2, \"metrics\": [], \"aggregates\": {\"before\": {}, \"after\": {}}, \"samples\": []}", "version 2")]
    [InlineData("{\"version\": 1, \"metrics\": [], \"aggregates\": {\"before\": {}}, \"samples\": []}", "aggregates.after")]
    [InlineData("{\"version\": 1, \"metrics\": [], \"aggregates\": {\"before\": {}, \"after\": {}}, \"samples\": [{\"index\": 0}]}", "samples[0].source")]
    [InlineData("{\"version\": 1, \"metrics\": [], \"aggregates\": {\"before\": {\"rouge_l\": \"high\"}, \"after\": {}}, \"samples\": []}", "aggregates.before.rouge_l")]
    [InlineData("[1, 2", "not valid JSON")]
    public void AFileInAnotherLayoutIsAnErrorNamingTheField(string json, string detail)
    {
        var error = Assert.Throws<LoraException>(() => EvalOutputsJson.Deserialize(json, "out/eval_outputs.json"));

        Assert.Equal(EvalErrorCodes.OutputsUnreadable, error.Code);
        Assert.Equal("out/eval_outputs.json", error.Location);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileIsACodedError()
    {
        using var folder = new TempDirectory();

        Assert.Equal(
            EvalErrorCodes.OutputsUnreadable,
            Assert.Throws<LoraException>(() => EvalOutputsJson.ReadFile(Path.Combine(folder.Path, "eval_outputs.json"))).Code);
    }
}
