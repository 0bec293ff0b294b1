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
    public void AnAdapterWithBAtZeroGeneratesWhatTheBaseDoesAndATrainedOneSomethingElse()
    {
        using var checkpoint = new TinyCheckpoint();
        using var zero = new TinyAdapter(checkpoint, trained: false);
        using var trained = new TinyAdapter(checkpoint);
        (int ExitCode, string Output, string Error) Generate(params string[] adapter) => CliRun.Invoke(
            ["generate", "--model", checkpoint.Directory, "--prompt", "the order", "--max-new-tokens", "8", .. adapter]);

        var plain = Generate();
        var withZero = Generate("--adapter", zero.Directory);
        var withTrained = Generate("--adapter", trained.Directory);

        Assert.True(withTrained.ExitCode == 0, withTrained.Error);
        Assert.Equal(plain.Output, withZero.Output);
        Assert.NotEqual(plain.Output, withTrained.Output);
        Assert.Equal(string.Empty, withTrained.Error);
    }

    [Fact]
    public void AnAdapterForAnotherBaseIsAWarningOnStandardError()
    {
        using var checkpoint = new TinyCheckpoint();
        using var adapter = new TinyAdapter(checkpoint, baseModelNameOrPath: "acme/other-model");

        var (exitCode, output, error) = CliRun.Invoke(
            "generate", "--model", checkpoint.Directory, "--adapter", adapter.Directory, "--prompt", "the order", "--max-new-tokens", "3");

        Assert.Equal(0, exitCode);
        Assert.Contains("warning: The adapter was trained on 'acme/other-model'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingAdapterFolderIsACodedError()
    {
        using var checkpoint = new TinyCheckpoint();

        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--adapter", "/no/such/adapter", "--prompt", "hi");

        Assert.Equal(1, exitCode);
        Assert.Contains("/no/such/adapter: error LORA1021:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingModelIsACodedError()
    {
        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", "/no/such/model", "--prompt", "hi");

        Assert.Equal(1, exitCode);
        Assert.Contains("/no/such/model: error LORA1021:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOutOfRangeSamplingSettingIsACodedError()
    {
        using var checkpoint = new TinyCheckpoint();

        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", checkpoint.Directory, "--prompt", "hi", "--top-p", "1.5");

        Assert.Equal(1, exitCode);
        Assert.Contains("LORA2038", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyPromptIsRefusedWithItsCode()
    {
        var (exitCode, _, error) = CliRun.Invoke("generate", "--model", CliRun.RepositoryFile("examples", "models", "tiny"), "--prompt", "");

        Assert.Equal(1, exitCode);
        Assert.Contains("--prompt: error LORA1022:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingModelFolderIsTheSameCodeAsInInspect()
    {
        var missing = Path.Combine(Path.GetTempPath(), "lorabuild-no-such-model-" + Guid.NewGuid().ToString("N"));

        var generate = CliRun.Invoke("generate", "--model", missing, "--prompt", "x");
        var inspect = CliRun.Invoke("inspect", missing);

        Assert.Contains($"{missing}: error LORA1021:", generate.Error, StringComparison.Ordinal);
        Assert.Contains($"{missing}: error LORA1021:", inspect.Error, StringComparison.Ordinal);
    }
}
