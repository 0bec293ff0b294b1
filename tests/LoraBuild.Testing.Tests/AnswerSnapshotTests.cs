using LoraBuild.Core.Diagnostics;

namespace LoraBuild.Testing.Tests;

public class AnswerSnapshotTests
{
    private static readonly SnapshotAnswer[] Answers =
    [
        new("data/eval.jsonl:1", "Hello, order 29053 came today but the headphones is damaged.", "{\"category\": \"damaged\", \"order\": 29053}")
        {
            Reference = "{\"category\": \"damaged\", \"order\": 29053}",
            Scores = new Dictionary<string, double> { ["exact_match"] = 1 },
        },
        new("data/eval.jsonl:2", "Ünïcode stays as is: my order 30470 still has not arrived.", "{\"category\": \"late\", \"order\": 30470}"),
    ];

    [Fact]
    public void TheFileIsCanonicalJsonThatReadsBackEqual()
    {
        using var folder = new TempDirectory();
        var options = folder.Options();
        options.Accept = true;
        AnswerSnapshot.Verify(Answers, "answers", options);

        Assert.Equal(
            """
            {
              "version": 1,
              "answers": [
                {
                  "index": 0,
                  "source": "data/eval.jsonl:1",
                  "input": "Hello, order 29053 came today but the headphones is damaged.",
                  "reference": "{\"category\": \"damaged\", \"order\": 29053}",
                  "answer": "{\"category\": \"damaged\", \"order\": 29053}",
                  "scores": {
                    "exact_match": 1
                  }
                },
                {
                  "index": 1,
                  "source": "data/eval.jsonl:2",
                  "input": "Ünïcode stays as is: my order 30470 still has not arrived.",
                  "answer": "{\"category\": \"late\", \"order\": 30470}"
                }
              ]
            }

            """.ReplaceLineEndings("\n"),
            File.ReadAllText(folder.File("answers.verified.json")));
        AnswerSnapshot.Verify(Answers, "answers", folder.Options());
    }

    [Fact]
    public void AChangedAnswerReadsAsExpectedButGot()
    {
        using var folder = new TempDirectory();
        var options = folder.Options();
        options.Accept = true;
        AnswerSnapshot.Verify(Answers, "answers", options);
        var changed = Answers.ToArray();
        changed[1] = changed[1] with { Answer = "{\"category\": \"refund\", \"order\": 30470}" };

        var failure = Assert.Throws<SnapshotMismatchException>(() => AnswerSnapshot.Verify(changed, "answers", folder.Options()));

        Assert.Contains(
            """

            sample 1 (data/eval.jsonl:2): expected answer "{\"category\": \"late\", \"order\": 30470}" but got "{\"category\": \"refund\", \"order\": 30470}"

            """.ReplaceLineEndings("\n"),
            failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void AShortChangeStaysOnOneLine()
    {
        using var folder = new TempDirectory();
        var options = folder.Options();
        options.Accept = true;
        AnswerSnapshot.Verify([new SnapshotAnswer("t:1", "2+2", "4")], "short", options);

        var failure = Assert.Throws<SnapshotMismatchException>(() => AnswerSnapshot.Verify([new SnapshotAnswer("t:1", "2+2", "5")], "short", folder.Options()));

        Assert.Contains("\nsample 0 (t:1): expected answer \"4\" but got \"5\"\n", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"version": 1}""", "has no 'answers'")]
    [InlineData("""{"version": 2, "answers": []}""", "layout version 2")]
    [InlineData("""{"version": 1, "answers": [{"index": 0, "source": "a", "input": "b"}]}""", "has no 'answers[0].answer'")]
    [InlineData("""{"version": 1, "answers": [{"index": 3, "source": "a", "input": "b", "answer": "c"}]}""", "answers[0].index is 3")]
    [InlineData("""{"version": 1, "answers": [""", "not valid JSON")]
    public void ABrokenVerifiedFileNamesTheFirstBadField(string content, string detail)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("bad.verified.json"), content);

        var error = Assert.Throws<LoraException>(() => AnswerSnapshot.Verify(Answers, "bad", folder.Options()));

        Assert.Equal("LORA1372", error.Code);
        Assert.Equal(folder.File("bad.verified.json"), error.Location);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
    }
}
