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

    [Fact]
    public void APeftAdapterFolderShowsItsSettingsAndTrainableCount()
    {
        using var checkpoint = new Engine.Tests.Checkpoints.TinyCheckpoint();
        using var adapter = new Engine.Tests.Checkpoints.TinyAdapter(checkpoint, baseModelNameOrPath: "acme/tiny-base", targets: "q_proj,v_proj");

        var (exitCode, output, error) = CliRun.Invoke("inspect", adapter.Directory);

        Assert.True(exitCode == 0, error);
        Assert.Matches("kind +│ PEFT LoRA adapter, task CAUSAL_LM", output);
        Assert.Matches("base model +│ acme/tiny-base", output);
        Assert.Matches("rank \\(r\\) +│ 4 ", output);
        Assert.Matches("alpha +│ 8 ", output);
        Assert.Matches("scale +│ 2 \\(alpha/r\\)", output);
        Assert.Matches("rsLoRA +│ no", output);
        Assert.Matches("dropout +│ 0.05", output);
        Assert.Matches("targets +│ q_proj,v_proj", output);

        // 2 layers × (q: 4·(32+32) + v: 4·(32+16)) = 896, the same count the adapter had in memory.
        Assert.Equal(896, adapter.Adapter.TrainableParameterCount);
        Assert.Matches("trainable parameters +│ 896 in 4 LoRA pairs \\(8 tensors, F32\\)", output);
        Assert.DoesNotContain("fingerprint", output, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAdapterWithAManifestShowsHowItWasTrainedAndHowWellItDid()
    {
        using var checkpoint = new Engine.Tests.Checkpoints.TinyCheckpoint();
        using var adapter = new Engine.Tests.Checkpoints.TinyAdapter(checkpoint);
        adapter.WriteManifest(Engine.Tests.Checkpoints.TinyAdapter.Manifest(new Dictionary<string, string> { ["config.json"] = new string('c', 64) }));

        var (exitCode, output, error) = CliRun.Invoke("inspect", adapter.Directory);

        Assert.True(exitCode == 0, error);
        Assert.Matches("trained by LoraBuild +│ SupportTriage", output);
        Assert.Matches("fingerprint +│ 3f9a0{60}", output);
        Assert.Matches("base model \\(spec\\) +│ models/tiny", output);
        Assert.Matches("data +│ data/train.jsonl \\(alpaca\\); eval data/eval.jsonl \\(alpaca\\)", output);
        Assert.Matches("optimizer +│ adamw, lr 0.002, cosine schedule", output);
        Assert.Matches("schedule +│ 3 epoch\\(s\\), batch 8 × 1 accumulated", output);
        Assert.Matches("engine +│ LoraBuild 0.1.0, TorchSharp 0.107.0, libtorch 2.10.0, cpu × 2 threads", output);
        Assert.Matches("steps +│ 36 ", output);
        Assert.Matches("train loss +│ 5.75 → 1.125", output);
        Assert.Matches("tokens/s +│ 1834.5 ", output);
        Assert.Matches("wall time +│ 12.25 s", output);
        Assert.Matches("peak memory +│ 512.00 MiB", output);
        Assert.Matches("eval loss +│ 5.5 → 1.25 \\(before → after\\)", output);
        Assert.Matches("eval exact_match +│ 0 → 0.75 ", output);
        Assert.True(output.IndexOf("eval loss", StringComparison.Ordinal) < output.IndexOf("eval exact_match", StringComparison.Ordinal));
    }

    [Fact]
    public void ABrokenManifestIsAWarningRowNotAFailure()
    {
        using var checkpoint = new Engine.Tests.Checkpoints.TinyCheckpoint();
        using var adapter = new Engine.Tests.Checkpoints.TinyAdapter(checkpoint);
        File.WriteAllText(Path.Combine(adapter.Directory, "lorabuild.json"), "[]");

        var (exitCode, output, _) = CliRun.Invoke("inspect", adapter.Directory);

        Assert.Equal(0, exitCode);
        Assert.Matches("warning +│ lorabuild.json: error LORA4001", output);
        Assert.Matches("targets +│ ", output);
    }

    [Fact]
    public void ARegularExpressionTargetIsCountedOnTheConfig()
    {
        var (exitCode, output, error) = CliRun.Invoke("inspect", Llama2Config, "--rank", "8", "--targets", @"re:model\.layers\.[0-9]\.self_attn\.(q|v)_proj");

        Assert.True(exitCode == 0, error);
        Assert.Contains("LoRA trainable  │ 1,310,720 ", output, StringComparison.Ordinal);
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
