namespace LoraBuild.Cli.Tests.Commands;

public class InspectCommandTests
{
    private static readonly string Llama2Config = CliRun.RepositoryFile("examples", "configs", "llama-2-7b", "config.json");

    [Fact]
    public void Llama2With8OnQueryAndValueTrainsTheFieldStudysCount()
    {
        var (exitCode, output, _) = CliRun.Invoke("inspect", "--config", Llama2Config, "--rank", "8", "--targets", "q_proj,v_proj");

        Assert.Equal(0, exitCode);
        Assert.Contains("6,738,415,616", output, StringComparison.Ordinal);
        Assert.Contains("4,194,304", output, StringComparison.Ordinal);
        Assert.Contains("alpha=16", output, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutRankNoLoraCountIsPrinted()
    {
        var (exitCode, output, _) = CliRun.Invoke("inspect", Llama2Config);

        Assert.Equal(0, exitCode);
        Assert.Contains("LlamaForCausalLM", output, StringComparison.Ordinal);
        Assert.DoesNotContain("LoRA trainable", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AModelFolderShowsItsStoredWeightsAndSize()
    {
        using var checkpoint = new Engine.Tests.Checkpoints.TinyCheckpoint();

        var (exitCode, output, error) = CliRun.Invoke("inspect", checkpoint.Directory, "--rank", "4", "--targets", "q_proj");

        Assert.True(exitCode == 0, error);
        Assert.Matches("weights +│ 20 tensors, 28,192 parameters stored, F32", output);
        Assert.Contains("size on disk", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", output, StringComparison.Ordinal);
        Assert.Contains("LoRA trainable  │ 512 ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LORA1021", "inspect", "--config", "does/not/exist.json")]
    [InlineData("LORA1020", "inspect")]
    [InlineData("LORA1001", "inspect", "CONFIG", "--rank", "8", "--targets", "q_proj,attention")]
    [InlineData("LORA1003", "inspect", "CONFIG", "--rank", "8", "--alpha", "-1")]
    public void BadInputIsOneCodedErrorLine(string code, params string[] args)
    {
        var (exitCode, _, error) = CliRun.Invoke([.. args.Select(a => a == "CONFIG" ? Llama2Config : a)]);

        Assert.Equal(1, exitCode);
        Assert.Contains($"error {code}:", error, StringComparison.Ordinal);
    }
}
