using LoraBuild.Core.Diagnostics;
using LoraBuild.Core.Evaluation.Outputs;

namespace LoraBuild.Testing.Tests;

public class EvalSnapshotTests
{
    [Fact]
    public void EqualOutputsPassAndWriteNothing()
    {
        using var folder = new TempDirectory();
        EvalOutputsJson.WriteFile(SampleOutputs.Create(), folder.File("triage.verified.json"));
        var before = File.ReadAllBytes(folder.File("triage.verified.json"));

        EvalSnapshot.Verify(SampleOutputs.Create(), "triage", folder.Options());

        Assert.Equal(before, File.ReadAllBytes(folder.File("triage.verified.json")));
        Assert.False(File.Exists(folder.File("triage.received.json")));
    }

    [Fact]
    public void OneChangedAnswerFailsWithTheSampleItsSourceAndBothAnswers()
    {
        using var folder = new TempDirectory();
        EvalOutputsJson.WriteFile(SampleOutputs.Create(), folder.File("triage.verified.json"));

        var failure = Assert.Throws<SnapshotMismatchException>(() =>
            EvalSnapshot.Verify(SampleOutputs.Create((1, "refund 30470")), "triage", folder.Options()));

        var tolerance = "(tolerance ±1e-6 relative, ±1e-12 absolute)";
        Assert.Equal(
            $"""
            Snapshot 'triage' does not match its verified file: 2 of 5 entries differ.
            sample 1 (data/eval.jsonl:2):
              expected after.output "late 30470" but got "refund 30470"
              expected after.scores.exact_match 1 but got 0 {tolerance}
              expected after.scores.rouge_l 1 but got 0.5 {tolerance}
            aggregates:
              expected after.exact_match 1 but got 0.6666666666666666 {tolerance}
              expected after.rouge_l 1 but got 0.8333333333333334 {tolerance}
            verified: {folder.File("triage.verified.json")}
            received: {folder.File("triage.received.json")}
            If the received values are right, accept them: run the test again with LORABUILD_ACCEPT_SNAPSHOTS=1, or move the received file over the verified one.
            """.ReplaceLineEndings("\n"),
            failure.Message);
        Assert.Equal(2, failure.DifferenceCount);
    }

    [Fact]
    public void AFailureWritesTheReceivedFileAndLeavesTheVerifiedOneAlone()
    {
        using var folder = new TempDirectory();
        EvalOutputsJson.WriteFile(SampleOutputs.Create(), folder.File("triage.verified.json"));
        var verified = File.ReadAllBytes(folder.File("triage.verified.json"));
        var changed = SampleOutputs.Create((0, "damaged 29035"));

        var failure = Assert.Throws<SnapshotMismatchException>(() => EvalSnapshot.Verify(changed, "triage", folder.Options()));

        Assert.Equal(folder.File("triage.received.json"), failure.ReceivedPath);
        Assert.Equal(EvalOutputsJson.SerializeToUtf8Bytes(changed), File.ReadAllBytes(failure.ReceivedPath));
        Assert.Equal(verified, File.ReadAllBytes(folder.File("triage.verified.json")));
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public void AMatchRemovesAReceivedFileLeftByAnEarlierFailure()
    {
        using var folder = new TempDirectory();
        EvalOutputsJson.WriteFile(SampleOutputs.Create(), folder.File("triage.verified.json"));
        Assert.Throws<SnapshotMismatchException>(() => EvalSnapshot.Verify(SampleOutputs.Create((2, "refund")), "triage", folder.Options()));
        Assert.True(File.Exists(folder.File("triage.received.json")));

        EvalSnapshot.Verify(SampleOutputs.Create(), "triage", folder.Options());

        Assert.False(File.Exists(folder.File("triage.received.json")));
    }

    [Fact]
    public void AcceptReplacesTheVerifiedFileAndPasses()
    {
        using var folder = new TempDirectory();
        EvalOutputsJson.WriteFile(SampleOutputs.Create(), folder.File("triage.verified.json"));
        var changed = SampleOutputs.Create((1, "late 3047"));
        Assert.Throws<SnapshotMismatchException>(() => EvalSnapshot.Verify(changed, "triage", folder.Options()));

        var accept = folder.Options();
        accept.Accept = true;
        EvalSnapshot.Verify(changed, "triage", accept);

        Assert.Equal(EvalOutputsJson.SerializeToUtf8Bytes(changed), File.ReadAllBytes(folder.File("triage.verified.json")));
        Assert.False(File.Exists(folder.File("triage.received.json")));
        EvalSnapshot.Verify(changed, "triage", folder.Options());
    }

    [Fact]
    public void WithoutAVerifiedFileTheFirstRunFailsAndWritesTheReceivedFileForReview()
    {
        using var folder = new TempDirectory();

        var failure = Assert.Throws<SnapshotMismatchException>(() => EvalSnapshot.Verify(SampleOutputs.Create(), "new-suite", folder.Options()));

        Assert.StartsWith("Snapshot 'new-suite' has no verified file yet; the 5 received entries were written for review.", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("new-suite.verified.json")));
        Assert.Equal(EvalOutputsJson.SerializeToUtf8Bytes(SampleOutputs.Create()), File.ReadAllBytes(folder.File("new-suite.received.json")));
    }

    [Fact]
    public void AFileWrittenByTheEvaluationIsAVerifiedSnapshotAsIs()
    {
        using var folder = new TempDirectory();
        var outputsFile = folder.File("eval_outputs.json");
        EvalOutputsJson.WriteFile(SampleOutputs.Create(), outputsFile);
        File.Copy(outputsFile, folder.File("adapter.verified.json"));

        EvalSnapshot.VerifyFile(outputsFile, "adapter", folder.Options());
    }

    [Fact]
    public void OnlyTheFirstDifferingSamplesAreShownThenACount()
    {
        using var folder = new TempDirectory();
        EvalOutputsJson.WriteFile(SampleOutputs.Create(), folder.File("triage.verified.json"));
        var options = folder.Options();
        options.MaxShownDifferences = 1;

        var failure = Assert.Throws<SnapshotMismatchException>(() =>
            EvalSnapshot.Verify(SampleOutputs.Create((0, "x"), (2, "y")), "triage", options));

        Assert.Contains("sample 0 (data/eval.jsonl:1):", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sample 2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("… and 2 more differing entries (all are in the received file).", failure.Message, StringComparison.Ordinal);
        Assert.Equal(3, failure.DifferenceCount);
    }

    [Fact]
    public void MissingAndNewSamplesAreNamed()
    {
        using var folder = new TempDirectory();
        var full = SampleOutputs.Create();
        EvalOutputsJson.WriteFile(full with { Samples = full.Samples.Take(2).ToList() }, folder.File("grown.verified.json"));
        EvalOutputsJson.WriteFile(full, folder.File("shrunk.verified.json"));
        var options = folder.Options();
        options.IgnoredKeys.Add("*");

        var grown = Assert.Throws<SnapshotMismatchException>(() => EvalSnapshot.Verify(full, "grown", options));
        var shrunk = Assert.Throws<SnapshotMismatchException>(() => EvalSnapshot.Verify(full with { Samples = full.Samples.Take(2).ToList() }, "shrunk", options));

        Assert.Contains("\nsample 2 (data/eval.jsonl:3): received, but the verified snapshot does not have it\n", grown.Message, StringComparison.Ordinal);
        Assert.Contains("\nsample 2 (data/eval.jsonl:3): expected, but the received snapshot does not have it\n", shrunk.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LongTextsAreCutToAWindowAroundTheFirstDifference()
    {
        using var folder = new TempDirectory();
        var prefix = string.Concat(Enumerable.Repeat("word ", 40));
        var outputs = SampleOutputs.Create((0, prefix + "billing\nmore"));
        EvalOutputsJson.WriteFile(outputs, folder.File("long.verified.json"));
        var options = folder.Options();
        options.IgnoredKeys.Add("*");

        var failure = Assert.Throws<SnapshotMismatchException>(() =>
            EvalSnapshot.Verify(SampleOutputs.Create((0, prefix + "refund\nmore")), "long", options));

        Assert.Contains(
            """
            sample 0 (data/eval.jsonl:1): after.output differs from character 201 (line 1):
                expected …"word word word word word word billing\nmore"
                but got  …"word word word word word word refund\nmore"
            """.ReplaceLineEndings("\n"),
            failure.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void AVerifiedFileInAnotherLayoutIsAnErrorNamingIt()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("broken.verified.json"), """{"version": 1, "metrics": []}""");

        var error = Assert.Throws<LoraException>(() => EvalSnapshot.Verify(SampleOutputs.Create(), "broken", folder.Options()));

        Assert.Equal("LORA1305", error.Code);
        Assert.Equal(folder.File("broken.verified.json"), error.Location);
    }

    [Fact]
    public void TwoSamplesWithOneIndexCannotBeMatched()
    {
        using var folder = new TempDirectory();
        var outputs = SampleOutputs.Create();
        EvalOutputsJson.WriteFile(outputs with { Samples = [outputs.Samples[0], outputs.Samples[1] with { Index = 0 }] }, folder.File("twice.verified.json"));

        var error = Assert.Throws<LoraException>(() => EvalSnapshot.Verify(outputs, "twice", folder.Options()));

        Assert.Equal("LORA1373", error.Code);
        Assert.Equal(folder.File("twice.verified.json"), error.Location);
        Assert.Contains("'sample 0' twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptingReplacesAVerifiedFileThatCannotBeRead()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("old.verified.json"), """{"version": 0}""");
        var options = folder.Options();
        options.Accept = true;

        EvalSnapshot.Verify(SampleOutputs.Create(), "old", options);

        Assert.Equal(EvalOutputsJson.SerializeToUtf8Bytes(SampleOutputs.Create()), File.ReadAllBytes(folder.File("old.verified.json")));
    }
}
