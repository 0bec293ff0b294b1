namespace LoraBuild.Testing.Tests;

/// <summary>Sets a process-wide environment variable, so it must not run beside tests that expect failures.</summary>
[CollectionDefinition(nameof(AcceptVariableTests), DisableParallelization = true)]
public sealed class AcceptVariableGroup;

[Collection(nameof(AcceptVariableTests))]
public class AcceptVariableTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("TRUE", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void TheEnvironmentVariableAcceptsUnlessTheOptionSaysOtherwise(string value, bool accepted)
    {
        using var folder = new TempDirectory();
        var previous = Environment.GetEnvironmentVariable(SnapshotOptions.AcceptVariable);
        try
        {
            Environment.SetEnvironmentVariable(SnapshotOptions.AcceptVariable, value);
            var options = new SnapshotOptions { Directory = folder.Path };
            var refusing = new SnapshotOptions { Directory = folder.Path, Accept = false };

            var refused = Record.Exception(() => AnswerSnapshot.Verify([new SnapshotAnswer("t:1", "q", "a")], "refused", refusing));
            var outcome = Record.Exception(() => AnswerSnapshot.Verify([new SnapshotAnswer("t:1", "q", "a")], "env", options));

            Assert.IsType<SnapshotMismatchException>(refused);
            Assert.Equal(accepted, outcome is null);
            Assert.Equal(accepted, File.Exists(folder.File("env.verified.json")));
            Assert.Equal(!accepted, File.Exists(folder.File("env.received.json")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(SnapshotOptions.AcceptVariable, previous);
        }
    }
}
