namespace LoraBuild.Testing.Tests;

public class ScrubbingTests
{
    [Fact]
    public void PathsBecomeThePlaceholderWithEitherSeparator()
    {
        var scrubber = TextScrubber.Path("/home/ci/work/", "{repo}");

        Assert.Equal("model {repo}/models/tiny, {repo}\\data", scrubber.Apply("model /home/ci/work/models/tiny, \\home\\ci\\work\\data"));
    }

    [Fact]
    public void FingerprintsAreReplacedButShorterOrLongerHexIsNot()
    {
        var sha = new string('a', 32) + new string('0', 32);

        Assert.Equal("SupportTriage {fingerprint} (abc123)", TextScrubber.Fingerprints().Apply($"SupportTriage {sha} (abc123)"));
        Assert.Equal(sha + "f", TextScrubber.Fingerprints().Apply(sha + "f"));
    }

    [Theory]
    [InlineData("trained in 12.5 s", "trained in {time}")]
    [InlineData("step took 340ms", "step took {time}")]
    [InlineData("at 2026-11-25T10:30:35Z done", "at {time} done")]
    [InlineData("elapsed 00:01:02.5", "elapsed {time}")]
    [InlineData("3 minutes", "{time}")]
    [InlineData("order 31416 is late", "order 31416 is late")]
    public void TimingsAreReplaced(string text, string scrubbed) =>
        Assert.Equal(scrubbed, TextScrubber.Timings().Apply(text));

    [Fact]
    public void APatternUsesItsReplacement() =>
        Assert.Equal("seed=<n>", TextScrubber.Pattern(@"seed=\d+", "seed=<n>").Apply("seed=42"));

    [Fact]
    public void ScrubbedAnswersMatchAcrossRunsAndTheFilesHoldThePlaceholders()
    {
        using var folder = new TempDirectory();
        var options = folder.Options();
        options.Scrubbers.Add(TextScrubber.Path("/tmp/run-1"));
        options.Scrubbers.Add(TextScrubber.Timings());
        options.Accept = true;
        AnswerSnapshot.Verify([new SnapshotAnswer("data/eval.jsonl:1", "where is it?", "saved to /tmp/run-1/out.json in 1.2 s")], "scrubbed", options);

        var second = folder.Options();
        second.Scrubbers.Add(TextScrubber.Path("/tmp/run-2"));
        second.Scrubbers.Add(TextScrubber.Timings());
        AnswerSnapshot.Verify([new SnapshotAnswer("data/eval.jsonl:1", "where is it?", "saved to /tmp/run-2/out.json in 0.8 s")], "scrubbed", second);

        Assert.Contains("\"answer\": \"saved to {dir}/out.json in {time}\"", File.ReadAllText(folder.File("scrubbed.verified.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void IgnoredKeysAreLeftOutOfTheComparisonAndTheFile()
    {
        using var folder = new TempDirectory();
        var options = folder.Options();
        options.IgnoredKeys.Add("wall_seconds");
        options.IgnoredKeys.Add("json_fields.*");
        options.Accept = true;
        MetricsSnapshot.Verify(new Dictionary<string, double> { ["loss"] = 1.5, ["wall_seconds"] = 12.3, ["json_fields.order"] = 1 }, "ignored", options);

        options.Accept = false;
        MetricsSnapshot.Verify(new Dictionary<string, double> { ["loss"] = 1.5, ["wall_seconds"] = 99, ["json_fields.order"] = 0 }, "ignored", options);

        Assert.Equal("{\n  \"version\": 1,\n  \"metrics\": {\n    \"loss\": 1.5\n  }\n}\n", File.ReadAllText(folder.File("ignored.verified.json")));
    }
}
