using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using LoraBuild.Testing;

namespace SupportTriage.App.Tests;

/// <summary>
/// Locks down what the packaged adapter answers on the first held-out tickets (greedy decoding, so the same on every
/// run on this kind of machine). A change of the adapter, the base model or the engine that changes an answer fails
/// here with the ticket, its line in data/eval.jsonl and both answers; accept a deliberate change with
/// LORABUILD_ACCEPT_SNAPSHOTS=1 and commit support-triage-answers.verified.json.
/// </summary>
public class TriageAnswerTests(TriageModelFixture fixture) : IClassFixture<TriageModelFixture>
{
    private const string SnapshotName = "support-triage-answers";

    [Fact]
    public void TheAdapterWasTrainedOnTheBaseModelShippedHere() =>
        Assert.Empty(fixture.Model.Warnings);

    [Fact]
    public void TheAnswersMatchTheVerifiedSnapshot() =>
        AnswerSnapshot.Verify(fixture.Answers, SnapshotName);

    [Fact]
    public void EditingOneVerifiedAnswerFailsWithThatTicketsDiff()
    {
        var folder = Path.Combine(Path.GetTempPath(), "triage-snapshot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var verified = JsonNode.Parse(File.ReadAllText(Path.Combine(SourceFolder(), SnapshotName + ".verified.json")))!;
            var sample = verified["answers"]![7]!;
            var received = (string)sample["answer"]!;
            sample["answer"] = (string)sample["reference"]! == received ? received + " " : (string)sample["reference"]!;
            File.WriteAllText(Path.Combine(folder, SnapshotName + ".verified.json"), verified.ToJsonString());

            var failure = Assert.Throws<SnapshotMismatchException>(() =>
                AnswerSnapshot.Verify(fixture.Answers, SnapshotName, new SnapshotOptions { Directory = folder, Accept = false }));

            Assert.Equal(1, failure.DifferenceCount);
            Assert.Contains($"\nsample 7 (data/eval.jsonl:8): expected answer ", failure.Message, StringComparison.Ordinal);
            Assert.Contains($" but got \"{received.Replace("\"", "\\\"", StringComparison.Ordinal)}\"\n", failure.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, SnapshotName + ".received.json")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
