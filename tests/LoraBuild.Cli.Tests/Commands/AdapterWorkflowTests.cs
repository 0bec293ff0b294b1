using LoraBuild.Engine.Tests.Jobs;

namespace LoraBuild.Cli.Tests.Commands;

/// <summary>An adapter from <c>train</c> goes through <c>inspect</c>, <c>generate --adapter</c> and <c>merge</c>.</summary>
public class AdapterWorkflowTests
{
    [Fact]
    public void ATrainedAdapterInspectsGeneratesAndMergesWithoutWarnings()
    {
        using var project = new TinyProject();
        var adapter = project.Output("adapter");
        var merged = project.Output("merged");
        Assert.Equal(0, CliRun.Invoke("train", project.Directory, "--output", adapter, "--max-steps", "2").ExitCode);

        var inspected = CliRun.Invoke("inspect", adapter);
        var generated = CliRun.Invoke("generate", "--model", project.BaseModelDirectory, "--adapter", adapter, "--prompt", "refund the order", "--max-new-tokens", "6");
        var merging = CliRun.Invoke("merge", "--model", project.BaseModelDirectory, "--adapter", adapter, "--output", merged);
        var fromMerged = CliRun.Invoke("generate", "--model", merged, "--instruction", "refund the order", "--input", "refund the order", "--max-new-tokens", "6");
        var raw = CliRun.Invoke("generate", "--model", project.BaseModelDirectory, "--adapter", adapter, "--raw", "--prompt", "refund the order", "--max-new-tokens", "6");
        var rawFromMerged = CliRun.Invoke("generate", "--model", merged, "--prompt", "refund the order", "--max-new-tokens", "6");

        Assert.True(inspected.ExitCode == 0, inspected.Error);
        Assert.Matches("trained by LoraBuild +│ Tiny", inspected.Output);
        Assert.Matches("steps +│ 2 ", inspected.Output);
        Assert.Matches("targets +│ q_proj,v_proj", inspected.Output);
        Assert.Matches("eval loss +│ [0-9.]+ → [0-9.]+ ", inspected.Output);
        Assert.True(generated.ExitCode == 0, generated.Error);
        Assert.Equal(string.Empty, generated.Error);
        Assert.True(merging.ExitCode == 0, merging.Error);
        Assert.Equal(string.Empty, merging.Error);
        // The adapter is asked in its training template (the text is the input to its shared instruction); the merged
        // model has no manifest, so the template is named there, and --raw is the same bare prompt for both.
        Assert.Equal(generated.Output, fromMerged.Output);
        Assert.Equal(raw.Output, rawFromMerged.Output);
    }
}
