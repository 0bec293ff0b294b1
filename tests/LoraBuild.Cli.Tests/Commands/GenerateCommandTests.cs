using LoraBuild.Engine.Tests.Checkpoints;

namespace LoraBuild.Cli.Tests.Commands;

public class GenerateCommandTests
{
    [Fact]
    public void GreedyGenerationPrintsTheSameContinuationEveryTime()
    {
        using var checkpoint = new TinyCheckpoint();

        var first = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--prompt", "the order", "--max-new-tokens", "6");
        var second = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--prompt", "the order", "--max-new-tokens", "6");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.False(string.IsNullOrWhiteSpace(first.Output));
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public void SamplingWithASeedIsRepeatableAndTheSeedMatters()
    {
        using var checkpoint = new TinyCheckpoint();
        string Sample(string seed) => CliRun.Invoke(
            "generate", "--model", checkpoint.Directory, "--prompt", "the", "--max-new-tokens", "12", "--temperature", "1.5", "--seed", seed).Output;

        Assert.Equal(Sample("1"), Sample("1"));
        Assert.NotEqual(Sample("1"), Sample("2"));
    }

    [Fact]
    public void AMissingModelIsACodedError()
    {
        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", "/no/such/model", "--prompt", "hi");

        Assert.Equal(1, exitCode);
        Assert.Matches("error LORA20[0-9][0-9]:", error);
    }

    [Fact]
    public void AnOutOfRangeSamplingSettingIsACodedError()
    {
        using var checkpoint = new TinyCheckpoint();

        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--prompt", "hi", "--top-p", "1.5");

        Assert.Equal(1, exitCode);
        Assert.Contains("LORA2038", error, StringComparison.Ordinal);
    }
}
